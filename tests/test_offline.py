"""Offline and installable, in a real Chromium against a real static server."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from helpers import SITE_URL, ServedBuild
from pocket_guide.build import build

PREFIX = "/clinic/guide/"


@pytest.fixture
def site(tmp_path):
    """English and Spanish, built and served under a subpath; ``stop()`` cuts the network."""
    with ServedBuild(tmp_path / "p", ("es_419",), PREFIX) as site:
        yield site


@pytest.fixture
def context(browser):
    # bypass_csp only lets Playwright's own polling helpers run; test_csp_* loads pages without it.
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 800}, bypass_csp=True)
    yield context
    context.close()


def wait_until_saved(page, lang: str) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=15000)
    page.wait_for_function(f"document.documentElement.dataset.saved === '{lang}'", timeout=15000)


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def test_after_one_visit_the_language_works_with_the_network_gone(site, context):
    page = context.new_page()
    page.goto(site.url + "en/")
    wait_until_saved(page, "en")
    site.stop()
    for path, title in (("en/", "Fillers for cellulite"), ("en/questions/", "Questions for your dermatologist"),
                        ("en/about/", "About this guide")):
        page.goto(site.url + path)
        assert heading(page) == title
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.click("main >> text=All languages")  # the chooser, reached from inside the guide
    assert page.url == site.url
    assert page.locator(".chooser a").count() == 2
    page.goto(site.url + "en/never-built/")
    assert heading(page) == "This page is not saved on your phone"
    page.click("text=Go to the guide")
    assert heading(page) == "Fillers for cellulite"


def test_offline_page_and_note_are_in_the_patients_language(site, context):
    page = context.new_page()
    page.goto(site.url + "es-419/")
    wait_until_saved(page, "es-419")
    spanish_offline = site.project / "build" / "es-419" / "offline" / "index.html"
    expected = re.search(r"<h1>(.*?)</h1>", spanish_offline.read_text()).group(1)
    site.stop()
    page.goto(site.url + "es-419/questions/")
    note = page.locator("#offline-note")
    note.wait_for(state="visible", timeout=10000)
    assert re.search(r"\d{4}", note.inner_text()), "the note gives the date of the saved copy"
    page.goto(site.url + "es-419/no-such-page/")
    assert heading(page) == expected
    assert page.evaluate("document.documentElement.lang") == "es-419"


def test_visiting_another_language_saves_it_too(site, context):
    page = context.new_page()
    page.goto(site.url + "en/")
    wait_until_saved(page, "en")
    page.goto(site.url + "es-419/")
    page.wait_for_function("document.documentElement.dataset.saved === 'es-419'", timeout=15000)
    site.stop()
    page.goto(site.url + "es-419/about/")
    assert page.evaluate("document.documentElement.lang") == "es-419"
    page.goto(site.url + "en/questions/")
    assert heading(page) == "Questions for your dermatologist"


def test_save_every_language_button(site, context):
    page = context.new_page()
    page.goto(site.url + "en/about/")
    wait_until_saved(page, "en")
    page.click("#save-all")
    page.wait_for_function("document.querySelector('#save-status').textContent.includes('saved')",
                           timeout=15000)
    saved = page.evaluate("""async () => {
        const cache = await caches.open('pocket-guide-meta');
        const r = await cache.match(new URL('__saved.json', document.baseURI + '../../').href);
        return Object.keys(await r.json()).sort();
    }""")
    assert saved == ["en", "es-419"]
    site.stop()
    page.goto(site.url + "es-419/questions/")
    assert page.evaluate("document.documentElement.lang") == "es-419"


def test_new_text_shows_within_two_loads_after_a_deploy(site, context):
    page = context.new_page()
    page.goto(site.url + "en/")
    wait_until_saved(page, "en")
    old = "The success of filler treatments for cellulite can vary."
    assert old in page.inner_text("main")
    guide = site.project / "content" / "index.md"
    guide.write_text(guide.read_text().replace(old, "The success of filler treatments for cellulite varies."))
    build(site.project, site.out, SITE_URL)
    seen = []
    for _ in range(2):
        page.reload()
        seen.append("cellulite varies." in page.inner_text("main"))
    assert seen[-1], f"new text not shown after two loads: {seen}"
    sw = (site.out / "sw.js").read_text()
    version = json.loads(re.search(r"const PRECACHE = (\{.*?\});\n", sw).group(1))["version"]
    page.wait_for_function(
        "caches.keys().then(names => names.filter(n => n !== 'pocket-guide-meta').join() === "
        f"'pocket-guide-{version}')", timeout=15000)  # the new cache only: outdated ones deleted


def test_a_saved_page_shows_at_once_and_says_when_a_newer_one_arrived(site, context):
    """A returning visit shows the saved copy without waiting for the network; when the network then
    brings a changed page, a notice gives the review date of the text shown and leads to the new one."""
    page = context.new_page()
    page.goto(site.url + "en/")
    wait_until_saved(page, "en")
    old = "The success of filler treatments for cellulite can vary."
    guide = site.project / "content" / "index.md"
    text = guide.read_text()
    reviewed = re.search(r"last_reviewed: (\S+)", text).group(1)
    guide.write_text(text.replace(old, "The success of filler treatments for cellulite varies.")
                     .replace(f"last_reviewed: {reviewed}", "last_reviewed: 2027-02-03"))
    build(site.project, site.out, SITE_URL)
    page.reload()
    assert old in page.inner_text("main"), "the saved copy, at once"
    note = page.locator("#newer-note")
    note.wait_for(state="visible", timeout=15000)
    shown = date.fromisoformat(reviewed)
    assert f"last reviewed on {shown:%B} {shown.day}, {shown.year}" in note.inner_text()
    note.locator("a").click()
    assert "cellulite varies." in page.inner_text("main")
    assert "February 3, 2027" in page.inner_text("footer")
    assert page.locator("#newer-note").is_hidden()


def test_a_returning_visits_check_waits_until_the_page_has_loaded(site, context, browser):
    """The worker fetches a saved page again only once the page has loaded (the page says so), so
    that work never competes with the page before it is shown. Seen from the worker's own network
    log (Chromium may also start a request for a navigation by itself: that one is not the worker's)."""
    page = context.new_page()
    page.goto(site.url + "en/about/")
    wait_until_saved(page, "en")
    cdp = browser.new_browser_cdp_session()
    worker = next(t for t in cdp.send("Target.getTargets")["targetInfos"]  # this site's: the browser is shared
                  if t["type"] == "service_worker" and t["url"] == site.url + "sw.js")
    session = cdp.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})["sessionId"]
    sent = []  # (url, wall-clock ms) of each request the worker makes

    def note(event):
        message = json.loads(event["message"])
        if message.get("method") == "Network.requestWillBeSent":
            sent.append((message["params"]["request"]["url"], message["params"]["wallTime"] * 1000))
    cdp.on("Target.receivedMessageFromTarget", note)
    cdp.send("Target.sendMessageToTarget", {"sessionId": session,
                                            "message": json.dumps({"id": 1, "method": "Network.enable"})})
    page.goto(site.url + "en/about/")
    loaded = page.evaluate("performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd")
    for _ in range(50):
        checks = [when for url, when in sent if url == site.url + "en/about/"]
        if checks:
            break
        page.wait_for_timeout(100)
    cdp.detach()
    assert len(checks) == 1, "the saved page was shown, then fetched again once"
    assert checks[0] >= loaded, f"the check started {loaded - checks[0]:.0f} ms before the page had loaded"
    assert checks[0] - loaded < 1500, "the page said it had loaded: no need to wait for the 2 s fallback"


def test_a_stopped_worker_still_gives_the_saved_page_and_its_files_offline(site, context):
    """A phone stops an idle worker: the next visit, offline, starts it for the page, while the hashed
    files under static/ come from the saved copy by a static route, without the worker (Chromium)."""
    page = context.new_page()
    page.goto(site.url + "en/")
    wait_until_saved(page, "en")
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    cdp.detach()
    site.stop()
    page.goto(site.url + "en/questions/")
    assert heading(page) == "Questions for your dermatologist"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    sources = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('resource')
        .filter((r) => /[/]static[/][^/]+[.](css|js)$/.test(r.name))
        .map((r) => [r.name.split('/').pop().split('.')[0] + '.' + r.name.split('.').pop(), r.workerFinalSourceType]))""")
    assert sources.get("guide.css") == "cache" and sources.get("app.js") == "cache", sources


@pytest.mark.parametrize("lang", ["en", "es-419"])
def test_no_installability_errors(site, profile_context, lang):
    context = profile_context
    page = context.new_page()
    page.goto(site.url + f"{lang}/")
    wait_until_saved(page, lang)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert data["lang"] == lang and data["display"] == "standalone"


def test_install_help_without_javascript_shows_generic_steps(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "en/about/")
    assert page.locator(".install-any").is_visible()
    assert not page.locator(".install-android").is_visible()
    assert not page.locator(".save-all").is_visible()
    context.close()


def test_install_help_for_ios_visitors(site, browser):
    ua = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.0 Mobile/15E148 Safari/604.1")
    context = browser.new_context(user_agent=ua)
    page = context.new_page()
    page.goto(site.url + "en/about/")
    page.locator(".install-ios").wait_for(state="visible")  # tools.js, after the load event
    assert "Add to Home Screen" in page.locator(".install-ios").inner_text()
    assert not page.locator(".install-any").is_visible()
    context.close()


def test_scripts_run_under_the_real_csp_with_no_violations(site, browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(site.url + "en/about/")
    for _ in range(100):
        if page.evaluate("document.documentElement.dataset.saved") == "en":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.dataset.saved") == "en", "app.js ran and saved the language"
    assert page.locator(".save-all").is_visible()
    assert problems == []
    context.close()


def test_a_file_that_cannot_be_saved_is_reported_with_a_retry(site, context):
    """An install that cannot fetch one file keeps what it could, says so, and a retry finishes it."""
    about = site.out / "en" / "about" / "index.html"
    kept = about.read_bytes()
    about.unlink()
    page = context.new_page()
    page.goto(site.url + "en/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function("!document.getElementById('save-failed').hidden", timeout=15000)
    assert page.evaluate("document.documentElement.dataset.saved") is None
    assert "Saving failed" in page.locator("#save-failed").inner_text()
    about.write_bytes(kept)
    page.click("#save-retry")
    page.wait_for_function("document.getElementById('save-failed').hidden", timeout=15000)
    wait_until_saved(page, "en")
    site.stop()
    page.goto(site.url + "en/about/")
    assert heading(page) == "About this guide"


def test_a_copy_whose_bytes_do_not_match_its_revision_is_never_saved(site, context):
    questions = site.out / "en" / "questions" / "index.html"
    questions.write_bytes(questions.read_bytes().replace(b"<h1>", b"<h1>Tampered "))
    page = context.new_page()
    page.goto(site.url + "en/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function("!document.getElementById('save-failed').hidden", timeout=15000)
    site.stop()
    page.goto(site.url + "en/questions/")
    assert heading(page) == "This page is not saved on your phone"
