"""The clinic kit: config, contact box, QR posters and cards, printed handouts."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from babel.messages.frontend import CommandLineInterface

from helpers import requires, SITE_URL, html_files, make_project, page_text
from pocket_guide import create_app
from pocket_guide.build import build

CLINIC = f'''site_url = "{SITE_URL}"
clinic_name = "Example Skin Clinic"
phone = "+44 20 7946 0000"
address = "1 High Street, Exampletown"
opening_hours = "Monday to Friday, 9:00 to 17:00"
website = "https://clinic.example/"
brand_colour = "#f2d024"
'''


def needs(tool: str) -> str:
    requires(tool)
    return shutil.which(tool)


def read_codes(png: Path) -> list[zxingcpp.Result]:
    """Every QR code ZXing finds in an image (it finds all of a sheet's; zbar misses some in a grid)."""
    with Image.open(png) as image:
        return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def decode(png: Path) -> list[str]:
    return sorted(code.text for code in read_codes(png))


@pytest.fixture(scope="module")
def clinic_build(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("clinic") / "p")
    (root / "site.toml").write_text(CLINIC)
    CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(root / "translations" / "messages.pot"),
                                "-d", str(root / "translations"), "-l", "it"])  # added later, untranslated
    build(root, root / "build")
    return root / "build"


def test_poster_lists_every_language_with_a_code_that_decodes(clinic_build, serve, browser, tmp_path):
    base = serve(clinic_build)
    page = browser.new_page(viewport={"width": 1000, "height": 1400}, device_scale_factor=2)
    page.goto(base + "poster/")
    items = page.locator(".poster-codes li")
    langs = [items.nth(i).get_attribute("lang") for i in range(items.count())]
    shipped = sorted(p.name for p in clinic_build.iterdir() if (p / "manifest.webmanifest").is_file())
    assert "it" in langs and sorted(lang.lower() for lang in langs) == shipped
    for i, lang in enumerate(langs):
        shot = tmp_path / f"{lang}.png"
        items.nth(i).locator("svg.qr").screenshot(path=str(shot))
        assert decode(shot) == [f"{SITE_URL}{lang.lower()}/"]
    assert "Example Skin Clinic" in page.inner_text(".poster")
    page.close()


def test_desk_card_has_one_large_code(clinic_build, serve, browser, tmp_path):
    base = serve(clinic_build)
    page = browser.new_page()
    page.goto(base + "poster/es-419/")
    page.emulate_media(media="print")
    box = page.locator("svg.qr").bounding_box()
    assert box["width"] >= 300, "about 90 mm wide when printed"
    page.locator("svg.qr").screenshot(path=str(tmp_path / "card.png"))
    assert decode(tmp_path / "card.png") == [f"{SITE_URL}es-419/"]
    page.close()


INCOMING = ("zh_Hant", "ko", "ja", "fil", "ht", "hi", "ur", "fa", "he", "bn", "pa", "gu", "ta", "th", "tr",
            "uk", "ro", "it", "el", "am", "so")


@pytest.fixture(scope="module")
def many_languages_build(tmp_path_factory) -> Path:
    """31 languages: the shipped catalogs plus 21 new, untranslated ones."""
    root = make_project(tmp_path_factory.mktemp("many") / "p")
    (root / "site.toml").write_text(CLINIC)
    for code in INCOMING:
        CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(root / "translations" / "messages.pot"),
                                    "-d", str(root / "translations"), "-l", code])
    build(root, root / "build")
    return root / "build"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("which", ["clinic_build", "many_languages_build"])
def test_poster_prints_every_code_at_least_25_mm_on_as_many_sheets_as_needed(
        request, serve, browser, tmp_path, paper, which):
    """However many languages: codes never shrink below 25 mm, more sheets instead, plus the chooser's code."""
    out = request.getfixturevalue(which)
    base = serve(out)
    page = browser.new_page()
    page.goto(base + "poster/")
    page.emulate_media(media="print")
    widths = page.eval_on_selector_all(".poster svg.qr", "els => els.map(e => e.getBoundingClientRect().width)")
    shipped = sorted(p.name for p in out.iterdir() if (p / "manifest.webmanifest").is_file())
    assert len(widths) == len(shipped) + 1, "one code per language and one for the chooser"
    assert min(widths) * 25.4 / 96 >= 25, f"smallest code {min(widths) * 25.4 / 96:.1f} mm"
    pdf = tmp_path / "poster.pdf"
    page.pdf(path=str(pdf), format=paper, print_background=False)
    info = subprocess.run([needs("pdfinfo"), str(pdf)], capture_output=True, text=True).stdout
    sheets = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "sheet")], check=True)
    pngs = sorted(tmp_path.glob("sheet*.png"))
    found = [code for png in pngs for code in read_codes(png)]
    assert sorted(code.text for code in found) == sorted([SITE_URL] + [f"{SITE_URL}{lang}/" for lang in shipped]), \
        "every code decodes from the PDF at 150 dpi"
    printed = [(code.position.top_right.x - code.position.top_left.x) / 150 * 25.4 for code in found]
    assert min(printed) >= 25 * 29 / 37, f"printed symbols at least 25 mm with their quiet zone: {printed}"
    assert all(decode(png) for png in pngs), "no blank sheet"
    if len(shipped) <= 15:  # three rows of five
        assert sheets == 1, "one sheet where the codes fit"
    else:
        assert sheets > 1
    page.close()


def test_printed_guide_page_is_a_clean_handout(clinic_build, serve, browser, tmp_path):
    base = serve(clinic_build)
    page = browser.new_page()
    page.goto(base + "es-419/")
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run([needs("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    html = (clinic_build / "es-419" / "index.html").read_text()
    skip = re.search(r'<a class="skip" href="#main">(.*?)</a>', html).group(1)
    menu = re.findall(r'<nav class="menu".*?</nav>', html, re.S)[0]
    assert skip not in text and "Español" not in text.split("\n")[0]
    assert all(label not in text.split("Rellenos")[0] for label in re.findall(r">([^<>]+)</a>", menu))
    assert "24 de noviembre de 2026" in text, "the review date is printed"
    assert "Example Skin Clinic" in text and "+44 20 7946 0000" in text
    assert "tel:+442079460000" in text, "link URLs are written out"
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found = sorted({code for png in tmp_path.glob("page*.png") for code in decode(png)})
    assert found == [f"{SITE_URL}es-419/"], "a small QR code back to the same page"
    page.close()


def test_printed_checklist_has_tick_boxes_and_space_for_notes(clinic_build, serve, browser):
    base = serve(clinic_build)
    page = browser.new_page()
    page.goto(base + "en/questions/")
    page.emulate_media(media="print")
    first = page.locator(".checklist li").first
    box = page.evaluate("""el => { const s = getComputedStyle(el, '::before');
        return [s.borderTopStyle, parseFloat(s.width), parseFloat(getComputedStyle(el).paddingBottom)]; }""",
                        first.element_handle())
    assert box[0] == "solid" and box[1] >= 16 and box[2] >= 40
    assert page.locator(".bar").is_hidden()
    page.close()


def test_contact_box_where_risks_are_named_and_at_the_end(clinic_build):
    html = (clinic_build / "en" / "index.html").read_text()
    boxes = [m.start() for m in re.finditer(r'<div class="box contact" role="note">', html)]
    assert len(boxes) == 2
    assert html.index('id="risks"') < boxes[0] < html.index('id="dermatologist"')
    assert html.index('id="final-thoughts"') < boxes[1]
    box = html[boxes[0]:html.index("</div>", boxes[0])]
    assert "Rare but serious complications can include infection, allergic reactions, or filler migration." in box
    assert 'href="tel:+442079460000"' in box and "Contact Example Skin Clinic" in page_text(box, main_only=False)


def test_brand_colour_keeps_header_text_readable(clinic_build):
    css = next((clinic_build / "static").glob("guide.*.css")).read_text()
    assert css.startswith(":root{--brand:#f2d024;--on-brand:#000000}")


def test_without_clinic_details_no_contact_box_or_placeholders(built_all):
    for page in html_files(built_all):
        html = page.read_text()
        assert 'class="box contact"' not in html and 'class="clinic"' not in html, page
        assert "tel:" not in html
    text = page_text((built_all / "en" / "index.html").read_text(), main_only=False)
    for empty in ("Phone:", "Address:", "Opening hours:", "Website:"):
        assert empty not in text


def test_site_url_option_overrides_the_config(tmp_path):
    root = make_project(tmp_path / "p", translations=False)
    (root / "site.toml").write_text(CLINIC)
    app = create_app({"ROOT": root, "SITE_URL": "https://other.example/g"})
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert '<link rel="canonical" href="https://other.example/g/en/">' in html
