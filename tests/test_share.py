"""Share this guide from phone to phone: the page's QR code on screen (an image saved with the
language: it needs no network and no script, and loads only when opened) and the phone's own share menu where there is one, in a real Chromium."""
from __future__ import annotations

import zxingcpp
from PIL import Image

from helpers import SITE_URL, ready_to_print


def decode(png) -> list[str]:
    with Image.open(png) as image:
        return sorted(code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def test_the_code_on_screen_opens_this_page_at_its_public_address(built_all, serve, browser, tmp_path):
    base = serve(built_all)
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  java_script_enabled=False)  # a <details>: no script needed
    page = context.new_page()
    for path in ("en/questions/", "ar/", "zh-hans/about/"):
        page.goto(base + path)
        code = page.locator(".share img.qr")
        assert code.is_hidden(), "shown when the patient opens it"
        page.click(".share summary")
        page.wait_for_function("document.querySelector('.share img.qr').naturalWidth > 0")
        shot = tmp_path / "code.png"
        code.screenshot(path=str(shot))
        assert decode(shot) == [SITE_URL + path]
        assert SITE_URL + path in page.inner_text(".share")
        assert page.locator("#share-send").is_hidden(), "the share button needs the script"
    context.close()


def test_the_share_button_hands_the_phone_this_pages_public_address(built_all, serve, browser):
    base = serve(built_all)
    context = browser.new_context()
    context.add_init_script("navigator.share = (data) => { window.shared = data; return Promise.resolve(); };")
    page = context.new_page()
    page.goto(base + "en/about/")
    page.click(".share summary")
    page.click("#share-send")  # shown by tools.js, after the load event: click waits for it
    assert page.evaluate("window.shared") == {"title": page.title(), "url": SITE_URL + "en/about/"}
    context.close()


def test_without_a_share_menu_there_is_no_share_button(built_all, serve, browser):
    base = serve(built_all)
    context = browser.new_context()
    context.add_init_script("delete Navigator.prototype.share;")
    page = context.new_page()
    page.goto(base + "en/about/")
    page.click(".share summary")
    ready_to_print(page)  # tools.js has run: it fetched the printed code, and left the button hidden
    assert page.locator(".share img.qr").is_visible() and page.locator("#share-send").is_hidden()
    context.close()
