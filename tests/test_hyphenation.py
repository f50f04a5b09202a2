"""Long words at 320 px and 200 % text, in the two engines that hyphenate here: Firefox ESR (its
own dictionaries) and WebKitGTK (libhyphen with Debian's hyphen-* packages; Debian's Chromium has
no dictionary at all, see test_scripts). In every language a word may break only with a hyphen or
because it is wider than its whole line; Arabic-script and Hebrew words never break; and where an
engine has the language's dictionary, ``hyphens: auto`` really hyphenates.

Which languages an engine hyphenates is found, not assumed (a long word of the page, alone in a
1 px box, takes more lines with ``hyphens: auto`` than without), and printed with the count of
hyphenated words per language (``pytest -rP`` shows it). What must hyphenate is MUST_HYPHENATE.

Every page of every language is one 320 px iframe of a single harness page, all loaded at once:
one page load per engine instead of ninety-three.
"""
from __future__ import annotations

import collections
import json
import os
from dataclasses import dataclass, field

import pytest

from engines import ENGINES, launch
from helpers import requires
from linebreaks import HYPHENATES, WORD_BREAKS
from pocket_guide.serve import serve_in_thread

pytestmark = [
    pytest.mark.engines,
    # Selenium 4.51's own local drivers trip its deprecation of the address they pass.
    pytest.mark.filterwarnings("ignore:setting remote_server_addr in RemoteConnection:DeprecationWarning"),
]

NEEDS = {"webkit": ("xvfb", "webkitdriver", "minibrowser"), "firefox": ("firefox",)}
PAGES = ("", "questions/", "about/")
ZOOMS = ("100%", "200%")
WIDTH = 320
#: Languages each engine must hyphenate. Firefox ships dictionaries for all of these; WebKitGTK
#: reads /usr/share/hyphen, filled by hyphen-en-us, hyphen-ru and hyphen-de (and the other
#: hyphen-* packages in scripts/system-packages.txt).
MUST_HYPHENATE = {"firefox": ("en", "ru", "de"), "webkit": ("en", "ru", "de")}
#: Languages whose words never break, with or without a hyphen: Arabic-script letters join (a
#: split word loses its joining forms), and Hebrew is not hyphenated.
NEVER_SPLIT = ("ar", "fa", "ur", "he")

#: Loads every page into its own iframe, WIDTH px wide; ``window.__loaded`` counts the loaded ones.
LOAD = """((paths, width) => {
  window.__loaded = 0;
  document.body.replaceChildren(...paths.map((path) => {
    const frame = document.createElement('iframe');
    frame.dataset.path = path;
    frame.style.cssText = `display:block;width:${width}px;height:640px;border:0`;
    frame.onload = () => { window.__loaded += 1; };
    frame.src = 'guide/' + path;
    return frame;
  }));
})(%s, %d)"""
READY = """[...document.querySelectorAll('iframe')].every((f) => f.contentDocument
  && f.contentDocument.readyState === 'complete' && f.contentDocument.fonts.status === 'loaded')
  && window.__loaded === %d"""
FRAMES = "[...document.querySelectorAll('iframe')]"


@dataclass
class Layout:
    """What one engine did with every page: its line breaks inside words and what it hyphenates."""

    engine: str
    languages: list = field(default_factory=list)
    widths: set = field(default_factory=set)
    #: language -> {lang, hyphenates, word} from HYPHENATES
    probe: dict = field(default_factory=dict)
    #: (zoom, path) -> [{lang, kind, word, at}] from WORD_BREAKS
    breaks: dict = field(default_factory=dict)

    def hyphenates(self) -> list[str]:
        return sorted(lang for lang, found in self.probe.items() if found["hyphenates"])

    def of_kind(self, kind: str, zoom: str | None = None) -> dict[str, list[str]]:
        """Breaks of one kind by page (``200%:en/questions/``), pages with none left out."""
        return {f"{z}:{path}": [b["at"] for b in found if b["kind"] == kind]
                for (z, path), found in self.breaks.items()
                if (zoom is None or z == zoom) and any(b["kind"] == kind for b in found)}

    def hyphenated_words(self, zoom: str) -> collections.Counter:
        """Hyphenated words per language at ``zoom``."""
        return collections.Counter(path.split("/")[0] for (z, path), found in self.breaks.items()
                                   if z == zoom for b in found if b["kind"] == "hyphen")


@pytest.fixture(scope="module")
def harness(built_all, tmp_path_factory):
    """Every language's build under /guide/, beside a blank harness page (the guide's own pages
    allow no frames); the base URL and the pages, as ``lang/path``."""
    root = tmp_path_factory.mktemp("hyphenation")
    (root / "harness.html").write_text("<!doctype html><meta charset=utf-8><title>Harness</title><body>\n")
    os.symlink(built_all, root / "guide")
    languages = sorted(p.name for p in built_all.iterdir() if (p / "manifest.webmanifest").is_file())
    server, url = serve_in_thread(root, "/")
    yield url, [f"{lang}/{page}" for lang in languages for page in PAGES]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module", params=ENGINES)
def layout(request, harness, tmp_path_factory) -> Layout:
    """One engine's session: every page laid out at WIDTH px, at each text size in ZOOMS."""
    requires(*NEEDS[request.param])
    url, paths = harness
    found = Layout(request.param, sorted({path.split("/")[0] for path in paths}))
    with launch(request.param, tmp_path_factory.mktemp(request.param)) as engine:
        engine.set_viewport(WIDTH * 3, 800)
        engine.goto(url + "harness.html")
        engine.evaluate(LOAD % (json.dumps(paths), WIDTH))
        engine.wait_for(READY % len(paths), timeout=180)
        found.widths = set(engine.evaluate(f"{FRAMES}.map((f) => f.contentWindow.innerWidth)"))
        found.probe = engine.evaluate(
            f"Object.fromEntries({FRAMES}.filter((f) => f.dataset.path.split('/').length === 2)"  # each first page
            f".map((f) => [f.dataset.path.split('/')[0], ({HYPHENATES})(f.contentDocument)]))")
        for zoom in ZOOMS:
            for index, path in enumerate(paths):  # one call per page: each stays well within a script timeout
                found.breaks[zoom, path] = engine.evaluate(
                    f"(doc => (doc.documentElement.style.fontSize = {json.dumps(zoom)}, ({WORD_BREAKS})(doc)))"
                    f"({FRAMES}[{index}].contentDocument)")
    summary = {zoom: dict(sorted(found.hyphenated_words(zoom).items())) for zoom in ZOOMS}
    print(f"{found.engine} hyphenates {', '.join(found.hyphenates())}; hyphenated words by language: {summary}; "
          f"words wider than their line: {sum(map(len, found.of_kind('wider').values()))}")
    return found


def test_every_page_is_laid_out_at_320_px(layout):
    assert layout.widths == {WIDTH}, f"{layout.engine}: the frames are {layout.widths} CSS px wide"
    assert sorted(layout.probe) == layout.languages, "every language was probed for hyphenation"


def test_no_word_is_cut_without_a_hyphen(layout, record_property):
    """Every language, 100 % and 200 % text: a word breaks only with a hyphen or when it is wider than its line."""
    record_property("hyphenates", layout.hyphenates())
    cut = layout.of_kind("split")
    assert not cut, f"{layout.engine} cut words with no hyphen and room for them on a line: {cut}"


def test_arabic_script_and_hebrew_words_never_break(layout):
    assert set(NEVER_SPLIT) <= set(layout.languages)
    broken = {f"{zoom}:{path}": [b["at"] for b in found] for (zoom, path), found in layout.breaks.items()
              if path.split("/")[0] in NEVER_SPLIT and found}
    assert not broken, f"{layout.engine} broke words whose letters must stay together: {broken}"


def test_hyphens_auto_hyphenates_where_the_engine_has_the_dictionary(layout, record_property):
    """The engine has the dictionary for each language of MUST_HYPHENATE, and at 200 % text on a
    320 px screen it hyphenates words of that language's pages that fit a line."""
    record_property("hyphenated_words", dict(layout.hyphenated_words("200%")))
    missing = [lang for lang in MUST_HYPHENATE[layout.engine] if lang not in layout.hyphenates()]
    assert not missing, (f"{layout.engine} has no hyphenation for {missing} (it has {layout.hyphenates()}); "
                         "WebKitGTK reads Debian's hyphen-* packages: make system installs them")
    counts = layout.hyphenated_words("200%")
    unhyphenated = [lang for lang in MUST_HYPHENATE[layout.engine] if not counts[lang]]
    assert not unhyphenated, f"{layout.engine} hyphenated no word of {unhyphenated} at 200 % text: {dict(counts)}"
