"""A first load, in a real Chromium: the page, its stylesheet and app.js before the load event
(three requests, whatever the page and language); everything else (the print stylesheet, tools.js,
read aloud, "my questions", the printed code) after it, and all of it from the guide's own origin.
The sizes are measured in bench/run.py (docs/performance.md), not here."""
from __future__ import annotations

import pytest

from helpers import ready_to_print, unhashed

#: Each resource the page fetched, with whether it started before the load event.
REQUESTS = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  return performance.getEntriesByType('resource').map((r) => ({
    url: r.name, early: r.startTime < navigation.loadEventStart }));
}"""


def kind(url: str) -> str:
    """``static/guide.3f…css`` -> ``guide.css``; a page's code -> ``qr.svg``."""
    return unhashed(url).rsplit("/", 1)[-1]


@pytest.mark.parametrize("path, later", [
    ("en/", {"print.css", "tools.js", "qr.svg", "listen.css", "listen.js"}),
    ("ar/about/", {"print.css", "tools.js", "qr.svg", "listen.css", "listen.js"}),
    ("hi/questions/", {"print.css", "tools.js", "qr.svg", "listen.css", "listen.js", "notes.css", "notes.js"}),
])
def test_a_first_load_is_three_requests_and_the_rest_comes_after_it(built_all, serve, browser, path, later):
    base = serve(built_all)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base + path)
    assert page.evaluate("'speechSynthesis' in window"), "this Chromium reads aloud: listen.* load too"
    ready_to_print(page)
    for _ in range(50):  # the after-load files arrive one after another
        requests = page.evaluate(REQUESTS)
        if {kind(r["url"]) for r in requests if not r["early"]} >= later:
            break
        page.wait_for_timeout(100)
    context.close()
    early = sorted(kind(r["url"]) for r in requests if r["early"])
    assert early == ["app.js", "guide.css"], "with the page itself: three requests before the load event"
    assert {kind(r["url"]) for r in requests if not r["early"]} >= later
    assert all(r["url"].startswith(base) for r in requests), "nothing from another origin"


def test_without_javascript_the_page_still_prints_as_a_handout(built_all, serve, browser):
    """The print stylesheet's <noscript> link: no script to add it after the load event."""
    base = serve(built_all)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "ar/questions/")
    page.emulate_media(media="print")
    assert page.locator(".bar").is_hidden() and page.locator(".share").is_hidden()
    assert page.locator(".print-link img.qr").is_visible(), "the page's code, printed"
    assert page.evaluate("document.querySelector('.print-link img.qr').naturalWidth") > 0
    context.close()
