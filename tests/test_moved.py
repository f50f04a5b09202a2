"""A language folder renamed (``pt`` to ``pt_BR``): every printed ``/pt/...`` address still leads
to the guide, online and offline, and a phone that had saved ``pt`` keeps the guide offline."""
from __future__ import annotations

import re
import shutil

import pytest

from helpers import SITE_URL, make_project
from pocket_guide.build import build
from pocket_guide.serve import serve_in_thread

PREFIX = "/clinic/guide/"


def rename_catalog(root, old: str, new: str) -> None:
    """Do what a translator does: move the folder and set the header's Language to match."""
    shutil.move(root / "translations" / old, root / "translations" / new)
    po = root / "translations" / new / "LC_MESSAGES" / "messages.po"
    po.write_text(re.sub(r'"Language: [^\\]*\\n"', f'"Language: {new}\\\\n"', po.read_text(), count=1))


@pytest.fixture
def renamed(tmp_path):
    """A project as it was before the rename: Portuguese in ``pt``, built."""
    root = make_project(tmp_path / "p", languages=("pt_BR", "zh_Hans"))
    rename_catalog(root, "pt_BR", "pt")
    build(root, root / "build", SITE_URL)
    return root


def test_old_addresses_lead_to_the_same_page_at_the_new_one(renamed):
    rename_catalog(renamed, "pt", "pt_BR")
    build(renamed, renamed / "build", SITE_URL)
    out = renamed / "build"
    assert (out / "pt-br" / "index.html").is_file()
    for old, new in (("pt/index.html", "../pt-br/"), ("pt/questions/index.html", "../../pt-br/questions/"),
                     ("pt/about/index.html", "../../pt-br/about/")):
        html = (out / old).read_text()
        assert f'<meta http-equiv="refresh" content="0; url={new}">' in html
        assert f'<a href="{new}">' in html, "a link for browsers that do not follow the refresh"
        assert '<meta name="robots" content="noindex">' in html and 'lang="pt-BR"' in html
    sitemap = (out / "sitemap.xml").read_text()
    assert f"{SITE_URL}pt-br/" in sitemap and f"{SITE_URL}pt/" not in sitemap
    assert 'url=../zh-hans/"' in (out / "zh" / "index.html").read_text(), "any base with one variant leads to it"


def test_no_old_address_when_two_variants_share_it(tmp_path):
    root = make_project(tmp_path / "p", languages=("pt_BR",))
    shutil.copytree(root / "translations" / "pt_BR", root / "translations" / "pt_tmp")
    rename_catalog(root, "pt_tmp", "pt_PT")
    build(root, root / "build")
    assert (root / "build" / "pt-br").is_dir() and (root / "build" / "pt-pt").is_dir()
    assert not (root / "build" / "pt").exists()


def saved(page, lang: str) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function(f"document.documentElement.dataset.saved === '{lang}'", timeout=15000)


def let_a_waiting_worker_take_over(page) -> None:
    """Stop the old service worker once a new one waits on it, as a phone stops a worker with nothing
    left to do: Playwright's DevTools session keeps it running, and the new one would wait a minute or more."""
    page.wait_for_function("""navigator.serviceWorker.getRegistration().then((r) =>
        Boolean(r.waiting) || (!r.installing && r.active === navigator.serviceWorker.controller &&
                               document.documentElement.dataset.saved === 'pt-br'))""", timeout=15000)
    cdp = page.context.new_cdp_session(page)
    versions = {}
    cdp.on("ServiceWorker.workerVersionUpdated", lambda e: versions.update({v["versionId"]: v for v in e["versions"]}))
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # the versions arrive as events
        if any(v["status"] == "installed" for v in versions.values()) or page.evaluate(
                "document.documentElement.dataset.saved === 'pt-br'"):
            break
        page.wait_for_timeout(100)
    if any(v["status"] == "installed" for v in versions.values()):
        for version in versions.values():
            if version["status"] == "activated":
                cdp.send("ServiceWorker.stopWorker", {"versionId": version["versionId"]})
    cdp.detach()


def test_a_phone_that_saved_the_old_language_keeps_it_offline_at_every_old_address(renamed, browser):
    context = browser.new_context(bypass_csp=True)  # for wait_for_function only
    page = context.new_page()
    server, url = serve_in_thread(renamed / "build", PREFIX)
    try:
        page.goto(url + "pt/")
        saved(page, "pt")
        rename_catalog(renamed, "pt", "pt_BR")
        build(renamed, renamed / "build", SITE_URL)
        page.reload()  # the saved pt/ at once; meanwhile the network brings the page that leads to pt-br/
        page.locator("#newer-note").wait_for(state="visible", timeout=15000)
        page.reload()  # the new copy; the new service worker installs and saves pt-br in place of pt
        page.wait_for_url(url + "pt-br/")
        let_a_waiting_worker_take_over(page)
        saved(page, "pt-br")
    finally:
        server.shutdown()
        server.server_close()
    titles = {}
    for old, new in (("pt/", "pt-br/"), ("pt/questions/", "pt-br/questions/"), ("pt/about/", "pt-br/about/")):
        page.goto(url + old)  # the server is gone: all from the saved copy
        page.wait_for_url(url + new)
        assert page.evaluate("document.documentElement.lang") == "pt-BR"
        titles[new] = page.locator("h1").inner_text()
    expected = {new: re.search(r"<h1[^>]*>(.*?)</h1>", (renamed / "build" / new / "index.html").read_text()).group(1)
                for new in titles}
    assert titles == expected
    context.close()
