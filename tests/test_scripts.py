"""Every language in every script, as Chromium renders it: no missing glyphs (the fonts Chromium
says it used cover every character; Debian's Noto fonts stand in for a phone's), no web font,
the script's own font, and lines broken only where the script allows, at 320 px."""
from __future__ import annotations

import functools
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTCollection, TTFont

from helpers import ready_to_print
from linebreaks import MID_WORD_BREAKS
from pocket_guide.serve import serve_in_thread


#: The font a language's text should be set in on this machine (its script's Noto font),
#: independent of the stylesheet: a check that the font stack names the script's font first.
SCRIPT_FONT = {"ar": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic", "ur": "Noto Nastaliq Urdu",
               "he": "Noto Sans Hebrew", "hi": "Noto Sans Devanagari", "bn": "Noto Sans Bengali",
               "pa": "Noto Sans Gurmukhi", "gu": "Noto Sans Gujarati", "ta": "Noto Sans Tamil",
               "th": "Noto Sans Thai", "am": "Noto Sans Ethiopic", "zh-hans": "Noto Sans CJK SC",
               "zh-hant": "Noto Sans CJK TC", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}

#: Marks each visible element with text of its own (in document order) and returns those texts.
MARK_TEXT_ELEMENTS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg, script, style, [hidden]') || !el.getClientRects().length) continue;
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('');
    if (!text.trim()) continue;
    el.setAttribute('data-glyph-check', '');
    out.push(text);
  }
  return out;
}"""

@functools.lru_cache(maxsize=None)
def installed_fonts() -> dict[str, tuple[str, int]]:
    """PostScript name -> (file, index in a collection), from fontconfig."""
    fc_list = shutil.which("fc-list")
    assert fc_list, "fc-list comes with fontconfig, which Chromium depends on"
    out = subprocess.run([fc_list, "--format", "%{postscriptname}|%{file}|%{index}\n"], capture_output=True,
                         text=True, check=True).stdout
    fonts = {}
    for line in out.splitlines():
        name, file, index = line.split("|")
        fonts.setdefault(name, (file, int(index or 0)))
    return fonts


@functools.lru_cache(maxsize=None)
def coverage(postscript_name: str) -> frozenset[int]:
    """The code points a font has glyphs for."""
    file, index = installed_fonts()[postscript_name]
    if file.lower().endswith((".ttc", ".otc")):
        with TTCollection(file, lazy=True) as collection:
            return frozenset(collection.fonts[index].getBestCmap() or {})
    with TTFont(file, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def settled(page) -> None:
    """What app.js adds after the load event has arrived ("my questions" shown, the print files
    fetched): text measured now is not moved by it."""
    ready_to_print(page)
    if page.locator(".my-questions").count():
        page.locator(".my-questions").wait_for(state="visible")


def languages(build) -> list[str]:
    return sorted(p.name for p in build.iterdir() if (p / "manifest.webmanifest").is_file())


@pytest.fixture(scope="module")
def site(built_all):
    """The build of every language, served for the whole module: (build folder, base URL)."""
    server, url = serve_in_thread(built_all, "/guide/")
    yield built_all, url
    server.shutdown()
    server.server_close()


def test_every_language_renders_with_no_missing_glyph_in_its_scripts_font(site, browser):
    build, base = site
    page = browser.new_page(viewport={"width": 320, "height": 640})
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    missing, web_fonts, wrong_font = {}, set(), {}
    for lang in languages(build):
        for path in (f"{lang}/", f"{lang}/questions/"):
            page.goto(base + path)
            settled(page)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the language menu too
            page.evaluate("document.fonts.ready.then(() => true)")
            texts = page.evaluate(MARK_TEXT_ELEMENTS)
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-check]"})["nodeIds"]
            assert len(nodes) == len(texts) > 10
            glyphs_by_font: dict[str, int] = {}
            for node, text in zip(nodes, texts):
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                covered: set[int] = set()
                for font in fonts:
                    if font.get("isCustomFont"):
                        web_fonts.add(font["familyName"])
                    if font["postScriptName"] in installed_fonts():
                        covered |= coverage(font["postScriptName"])
                    glyphs_by_font[font["familyName"]] = glyphs_by_font.get(font["familyName"], 0) + font["glyphCount"]
                lost = {ch for ch in text if not ch.isspace() and ord(ch) not in covered
                        and ch not in "\u200c\u200d\u00ad"}
                if lost:
                    missing.setdefault(path, set()).update(lost)
            expected = SCRIPT_FONT.get(lang)
            if expected and max(glyphs_by_font, key=glyphs_by_font.get) != expected:
                wrong_font[path] = sorted(glyphs_by_font.items(), key=lambda item: -item[1])[:3]
    page.close()
    assert not web_fonts, f"a web font was used: {web_fonts}"
    assert not missing, {path: "".join(sorted(chars)) for path, chars in missing.items()}
    assert not wrong_font, f"most glyphs were not set in the script's own font: {wrong_font}"


@pytest.mark.parametrize("zoom", ["100%", "200%"])
def test_lines_break_only_where_each_script_allows_at_320px(site, browser, zoom):
    build, base = site
    page = browser.new_page(viewport={"width": 320, "height": 640})
    found = {}
    for lang in languages(build):
        for path in (f"{lang}/", f"{lang}/questions/", f"{lang}/about/"):
            page.goto(base + path)
            settled(page)
            page.evaluate(f"document.documentElement.style.fontSize = '{zoom}'")
            bad = page.evaluate(MID_WORD_BREAKS)
            if bad:
                found[path] = bad[:5]
    page.close()
    assert not found, found
