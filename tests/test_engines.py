"""The core patient journeys in WebKit (WebKitGTK, the nearest engine to
iPhone Safari here) and Firefox ESR, against the project's own static server.

One browser session per engine for the whole module; each test gets a fresh
build on a new port, so a new origin: no service worker, cache or saved
language carries over from the test before.

What each engine can observe for "no console errors, no other origin":

- firefox (WebDriver BiDi events): every console error, uncaught error and CSP
  violation, and every request the page made, failed ones included, from the
  first byte of each page.
- webkit (no log or network events: WebKitWebDriver has no log endpoint and
  Debian's build no BiDi): a probe added after each load sees errors,
  console.error calls and CSP violations from then on; resource timing lists
  every URL the page fetched successfully. An error while a page loads shows
  only through its effect, which the journeys check (app.js saves the
  language, shows the save button, answers the chooser). A request to another
  origin is in any case refused by the page's CSP, which allows only 'self'.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from engines import ENGINES, launch
from helpers import SITE_URL, ServedBuild, requires
from pocket_guide.build import build

pytestmark = [
    pytest.mark.engines,
    # Selenium 4.51's own local drivers trip its deprecation of the address they pass.
    pytest.mark.filterwarnings("ignore:setting remote_server_addr in RemoteConnection:DeprecationWarning"),
]

PREFIX = "/clinic/guide/"
CATALOGS = ("ar", "es_419")  # with English: three languages, one written right to left
NEEDS = {"webkit": ("xvfb", "webkitdriver", "minibrowser"), "firefox": ("firefox",)}


@pytest.fixture(scope="module", params=ENGINES)
def session(request, tmp_path_factory):
    """One browser per engine for the module; stopped (with its display) at the end."""
    requires(*NEEDS[request.param])
    with launch(request.param, tmp_path_factory.mktemp(request.param)) as engine:
        yield engine


@pytest.fixture
def engine(session):
    """The engine at a phone's size, with nothing recorded from earlier tests."""
    session.set_viewport(390, 800)
    session.problems()
    session.requests()
    return session


@pytest.fixture
def site(tmp_path):
    """English, Arabic and Latin American Spanish, built and served under a subpath; ``stop()`` cuts the network."""
    with ServedBuild(tmp_path / "p", CATALOGS, PREFIX) as site:
        yield site


def page_language(engine) -> list:
    return engine.evaluate("[document.documentElement.lang, document.documentElement.dir, "
                           "document.querySelector('h1').textContent.trim()]")


def wait_until_saved(engine, lang: str) -> None:
    engine.wait_for("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    engine.wait_for(f"document.documentElement.dataset.saved === '{lang}'")


def assert_clean(engine, site) -> None:
    """No console error, uncaught error or CSP violation, and no request beyond the guide's origin."""
    problems = engine.problems()
    assert problems == [], f"{engine.name} reported problems:\n" + "\n".join(problems)
    origin = urlsplit(site.url)[:2]
    other = [url for url in engine.requests()
             if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url)[:2] != origin]
    assert other == [], f"{engine.name} asked another origin for: {other}"


def open_menu(engine) -> None:
    engine.click("details.site-menu summary")


def test_switching_language_through_the_menu_and_the_chooser(site, engine):
    """Firefox ESR gives document.referrer === '' to a page its service worker answered, so the
    menu's chooser link says where it came from (?page=...) and the chooser trusts that."""
    titles = {lang: site.title(lang) for lang in ("en", "ar")}
    assert titles["ar"] != titles["en"], "the Arabic build has a translated title"
    engine.goto(site.url + "en/")
    wait_until_saved(engine, "en")  # from now on the service worker answers, as on every later visit
    assert page_language(engine) == ["en", "ltr", titles["en"]]

    open_menu(engine)
    engine.follow("a.choose-language")
    engine.wait_for("performance.now() > 500")  # the chooser redirects within milliseconds when it does
    assert engine.url().split("?")[0] == site.url, "the chooser sent the reader away instead of letting them choose"
    assert engine.evaluate("document.querySelectorAll('.chooser a').length") == 1 + len(CATALOGS)
    engine.follow('.chooser a[data-choose="ar"]')
    assert engine.url() == site.url + "ar/"
    assert page_language(engine) == ["ar", "rtl", titles["ar"]]

    open_menu(engine)
    engine.follow('nav.menu a[href="about/"]')
    assert page_language(engine) == ["ar", "rtl", site.title("ar/about")]
    open_menu(engine)
    engine.follow("a.choose-language")  # from a page: each language leads to that page in it
    engine.wait_for("performance.now() > 500")
    assert engine.url() == site.url + "?page=about"
    engine.follow('.chooser a[data-choose="en"]')
    assert engine.url() == site.url + "en/about/"
    assert page_language(engine) == ["en", "ltr", site.title("en/about")]

    engine.goto(site.url)  # a returning reader who types the address gets the language they chose
    engine.wait_for(f"location.href === '{site.url}en/'")
    assert_clean(engine, site)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_320_px_screen_needs_no_sideways_scrolling(site, engine, lang, tmp_path):
    engine.set_viewport(320, 640)
    for path in ("", "questions/", "about/"):
        engine.goto(site.url + f"{lang}/{path}")
        assert page_language(engine) == [lang, "rtl" if lang == "ar" else "ltr", site.title(f"{lang}/{path}")]
        width, scroll_width, font_px = engine.evaluate(
            "[innerWidth, document.documentElement.scrollWidth, parseFloat(getComputedStyle(document.body).fontSize)]")
        assert width == 320, f"the viewport is {width} CSS px, not 320"
        assert scroll_width <= width, f"{lang}/{path} is {scroll_width} px wide on a 320 px screen"
        assert font_px >= 16, f"{lang}/{path}: body text is {font_px} px"
    engine.goto(site.url + f"{lang}/")
    engine.screenshot(tmp_path / f"{engine.name}-{lang}-320.png")
    assert_clean(engine, site)


def test_a_saved_language_opens_with_the_server_gone(site, engine):
    engine.goto(site.url + "en/")
    wait_until_saved(engine, "en")
    site.stop()
    engine.goto(site.url + "en/questions/")
    assert page_language(engine) == ["en", "ltr", site.title("en/questions")]
    engine.wait_for("!document.getElementById('offline-note').hidden")  # says it is the saved copy
    assert re.search(r"\d{4}", engine.text("#offline-note")), "the note gives the date of the saved copy"
    engine.reload_via_page()
    assert page_language(engine) == ["en", "ltr", site.title("en/questions")]
    open_menu(engine)
    engine.follow('nav.menu a[href="../about/"]')
    assert page_language(engine) == ["en", "ltr", site.title("en/about")]
    assert_clean(engine, site)


def test_new_text_shows_within_two_loads_after_a_deploy(site, engine):
    engine.goto(site.url + "en/")
    wait_until_saved(engine, "en")
    old = "The success of filler treatments for cellulite can vary."
    new = "The success of filler treatments for cellulite varies."
    assert old in engine.text("main")
    guide = site.project / "content" / "index.md"
    guide.write_text(guide.read_text().replace(old, new))
    build(site.project, site.out, SITE_URL)
    engine.reload_via_page()
    if new not in engine.text("main"):  # the saved copy came first: the page says a newer one is ready
        engine.wait_for("!document.getElementById('newer-note').hidden")
        engine.reload_via_page()
    assert new in engine.text("main"), "new text not shown after two loads"
    assert_clean(engine, site)


def test_install_help_without_an_install_prompt(site, engine):
    """Neither engine offers ``beforeinstallprompt``: the generic steps show, no dead button does."""
    engine.goto(site.url + "en/about/")
    wait_until_saved(engine, "en")
    assert not engine.evaluate("'onbeforeinstallprompt' in window"), \
        f"{engine.name} now offers beforeinstallprompt: check the Android button works in it"
    assert engine.visible(".install-any")
    assert not engine.visible(".install-android")
    assert not engine.visible(".install-ios"), "not an iPhone: no iPhone steps"
    assert not engine.visible("#install-button"), "an install button with no prompt behind it would do nothing"
    assert engine.visible("#save-all")
    engine.click("#save-all")  # the button this section does show works
    engine.wait_for("(s => s.textContent === s.dataset.done)(document.getElementById('save-status'))")
    assert_clean(engine, site)
