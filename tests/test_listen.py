"""Read aloud (static/listen.js) in a real Chromium, with speechSynthesis replaced by a recorder.

The recorder keeps each utterance's text, lang, voice and rate; ``__speech.end()`` finishes the
current one (as the voice does at the end of a block) and ``__speech.setVoices`` sets the phone's
voices, firing ``voiceschanged``. What should be read is derived from the built HTML.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from helpers import ServedBuild

SPEECH_STUB = """(() => {
  const log = [];
  let voices = [];
  let current = null;
  const synth = new EventTarget();
  synth.speaking = false; synth.pending = false; synth.paused = false;
  synth.getVoices = () => voices.slice();
  synth.speak = (u) => {
    log.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null, rate: u.rate });
    current = u;
  };
  // As in Chromium, cancelling ends the utterance being spoken with an error event.
  synth.cancel = () => { const u = current; current = null; if (u && u.onerror) u.onerror({ error: 'interrupted' }); };
  synth.pause = () => {}; synth.resume = () => {};
  class Utterance { constructor(text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; } }
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
  window.__speech = {
    log,
    setVoices(list) {
      voices = list.map((v) => Object.assign({ default: false, localService: true, voiceURI: v.name }, v));
      synth.dispatchEvent(new Event('voiceschanged'));
    },
    current() { return current ? current.text : null; },
    end() { const u = current; current = null; if (u && u.onend) u.onend({}); },
  };
})();"""

NO_SPEECH = "delete Window.prototype.speechSynthesis; delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd"}
NOT_OWN = BLOCKS | {"ul", "ol", "dl", "button", "input", "textarea", "select"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "track"}
SKIP_CLASSES = {"notices", "listen", "listen-here", "my-questions", "print-only"}


class ReadingOrder(HTMLParser):
    """The blocks of <main> a listener hears, in order: headings, paragraphs, list items (their
    own words), not in navigation, notices, controls, hidden or print-only parts."""

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = []
        self.blocks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        skip = (tag in ("nav", "template") or "hidden" in attrs or attrs.get("aria-hidden") == "true"
                or bool(SKIP_CLASSES & set((attrs.get("class") or "").split())))
        node = {"tag": tag, "skip": skip, "text": []}
        in_main = tag == "main" or any(n["tag"] == "main" for n in self.stack)
        if tag in BLOCKS and in_main and not skip and not any(n["skip"] for n in self.stack):
            self.blocks.append(node)
        self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        pass  # <path/> and the like hold no text

    def handle_endtag(self, tag):
        if tag in VOID or all(n["tag"] != tag for n in self.stack):
            return
        while self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        if any(n["skip"] for n in self.stack):
            return
        owner = next((n for n in reversed(self.stack) if n["tag"] in NOT_OWN), None)
        if owner and owner["tag"] in BLOCKS:
            owner["text"].append(data)


def reading_order(html: str) -> list[str]:
    parser = ReadingOrder()
    parser.feed(html)
    texts = [" ".join("".join(b["text"]).split()) for b in parser.blocks]
    return [t for t in texts if t]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with ServedBuild(tmp_path_factory.mktemp("listen") / "p", ("pt_BR", "ar", "zh_Hant", "zh_Hans", "fil")) as site:
        yield site


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 800}, bypass_csp=True)
    yield context
    context.close()


def open_page(context, url: str, voices: list[dict] | None, wait: bool = True):
    """A page with the recorder and these voices (None: no speechSynthesis at all)."""
    page = context.new_page()
    if voices is None:
        page.add_init_script(NO_SPEECH)
    else:
        page.add_init_script(SPEECH_STUB)
        page.add_init_script(f"window.__speech.setVoices({json.dumps(voices)})")
    page.goto(url)
    if wait:
        page.locator(".listen").wait_for(state="visible", timeout=10000)
    return page


def settled(page) -> None:
    """Wait until the controls have changed state: a button that hides itself when pressed leaves
    two frames after its replacement took focus (see showState in listen.js: Orca needs it)."""
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def listen_loaded(page) -> None:
    page.wait_for_function("performance.getEntriesByType('resource').some(e => /listen\\.[0-9a-f]+\\.js$/.test(e.name))"
                           " && document.readyState === 'complete'", timeout=10000)
    page.wait_for_timeout(200)


def read_all(page, limit: int = 400) -> list[dict]:
    for _ in range(limit):
        if page.evaluate("window.__speech.current()") is None:
            break
        page.evaluate("window.__speech.end()")
    return page.evaluate("window.__speech.log")


ENGLISH = [{"name": "English (UK)", "lang": "en-GB"}, {"name": "Français", "lang": "fr-FR"}]


@pytest.mark.parametrize("path", ["en/", "en/questions/", "en/about/"])
def test_reads_the_main_text_in_order_in_the_pages_language(site, context, path):
    expected = reading_order((site.out / path / "index.html").read_text())
    assert len(expected) > 5 and "On this page" not in expected
    page = open_page(context, site.url + path, ENGLISH)
    page.get_by_role("button", name="Listen", exact=True).click()
    log = read_all(page)
    assert [u["text"] for u in log] == expected
    assert {(u["lang"], u["voice"], u["rate"]) for u in log} == {("en", "English (UK)", 1)}
    assert page.locator(".listen-start").is_visible(), "at the end the controls are back to Listen"
    assert page.locator(".reading").count() == 0


def test_pause_resume_and_stop(site, context):
    page = open_page(context, site.url + "en/", ENGLISH)
    page.get_by_role("button", name="Listen", exact=True).click()
    page.evaluate("window.__speech.end()")
    page.evaluate("window.__speech.end()")
    reading = page.evaluate("window.__speech.current()")
    assert page.locator(".reading").inner_text().split() == reading.split()
    page.get_by_role("button", name="Pause").click()
    assert page.evaluate("window.__speech.current()") is None, "pausing silences the voice"
    spoken = page.evaluate("window.__speech.log.length")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__speech.log.length") == spoken
    assert page.evaluate("document.activeElement.textContent.trim()") == "Resume"
    assert page.locator(".reading").count() == 1, "the paused block stays marked"
    page.get_by_role("button", name="Resume").click()
    assert page.evaluate("window.__speech.current()") == reading, "resuming reads the paused block again"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Pause"
    page.get_by_role("button", name="Stop").click()
    assert page.evaluate("window.__speech.current()") is None
    assert page.locator(".reading").count() == 0
    settled(page)
    assert not page.locator(".listen-playing").is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Listen"


def test_next_and_previous_section_and_listen_from_here(site, context):
    html = (site.out / "en" / "index.html").read_text()
    main = html[html.index("<main"):]
    sections = [" ".join(re.sub(r"<[^>]+>", "", h).split())
                for h in re.findall(r"<h2[^>]*>(.*?)</h2>", main, re.S)]
    sections.remove("On this page")  # the table of contents is navigation
    page = open_page(context, site.url + "en/", ENGLISH)
    page.get_by_role("button", name="Listen", exact=True).click()
    current = lambda: page.evaluate("window.__speech.current()")  # noqa: E731
    next_button = page.get_by_role("button", name="Next section")
    next_button.click()
    assert current() == sections[0]
    next_button.click()
    assert current() == sections[1]
    page.evaluate("window.__speech.end()")
    page.evaluate("window.__speech.end()")
    page.get_by_role("button", name="Previous section").click()
    assert current() == sections[1], "back to the start of the section being read"
    page.get_by_role("button", name="Previous section").click()
    assert current() == sections[0], "at a heading, back to the section before"
    page.get_by_role("button", name="Stop").click()
    here = page.get_by_role("button", name="Listen from here")
    assert here.count() == len(sections)
    here.nth(2).click()
    assert current() == sections[2]
    assert page.evaluate("document.activeElement.textContent.trim()") == "Pause"
    for _ in sections[3:]:
        next_button.click()
    assert current() == sections[-1]
    next_button.click()
    assert current() is None and page.locator(".listen-start").is_visible(), "past the last section: the end"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_block_read_is_marked_kept_in_view_and_controls_are_usable(site, browser, scheme):
    context = browser.new_context(viewport={"width": 360, "height": 640}, color_scheme=scheme,
                                  reduced_motion="reduce", bypass_csp=True)
    page = open_page(context, site.url + "en/", ENGLISH)
    page.get_by_role("button", name="Listen", exact=True).click()
    for _ in range(3):
        page.get_by_role("button", name="Next section").click()
    block = page.locator(".reading")
    box = block.bounding_box()
    bar = page.locator(".listen").bounding_box()
    assert bar["y"] >= -1 and bar["y"] < 5, "the controls stay at the top while reading"
    assert box["y"] >= bar["y"] + bar["height"] - 1 and box["y"] + box["height"] <= 640, "the block is in view"
    colours = page.evaluate("""() => {
        const el = document.querySelector('.reading'); const s = getComputedStyle(el);
        return [s.outlineColor, s.outlineStyle, parseFloat(s.outlineWidth), getComputedStyle(document.body).backgroundColor,
                s.backgroundColor]; }""")
    assert colours[1] == "solid" and colours[2] >= 2
    assert contrast(colours[0], colours[3]) >= 3, colours
    assert contrast(colours[0], colours[4]) >= 3, colours
    for button in page.locator(".listen button:visible").all():
        size = button.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24
        button.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible
        assert button.evaluate("b => b === document.activeElement")
        style = button.evaluate("b => [getComputedStyle(b).outlineStyle, parseFloat(getComputedStyle(b).outlineWidth)]")
        assert style[0] != "none" and style[1] >= 2
    slower = page.get_by_role("button", name="Slower")
    assert slower.get_attribute("aria-pressed") == "false"
    slower.click()
    assert slower.get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.__speech.log.at(-1).rate") < 1
    assert page.evaluate("window.__speech.log.at(-1).text") == page.evaluate("window.__speech.log.at(-2).text")
    context.close()


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])


def contrast(a: str, b: str) -> float:
    def lum(colour):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b_ = (channel(c) for c in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("path, voices, chosen", [
    ("pt-br/", [{"name": "Portugal", "lang": "pt-PT"}, {"name": "Español", "lang": "es-ES"}], "Portugal"),
    ("pt-br/", [{"name": "Portugal", "lang": "pt-PT"}, {"name": "Brasil", "lang": "pt_BR"}], "Brasil"),
    ("zh-hant/", [{"name": "Putonghua", "lang": "zh-CN"}, {"name": "Taiwan", "lang": "zh-TW"}], "Taiwan"),
    ("zh-hant/", [{"name": "Hong Kong", "lang": "zh-HK"}], "Hong Kong"),
    ("zh-hans/", [{"name": "Taiwan", "lang": "zh-TW"}, {"name": "Mainland", "lang": "cmn-CN"}], "Mainland"),
    ("fil/", [{"name": "Tagalog", "lang": "tl-PH"}], "Tagalog"),
    ("fil/", [{"name": "Filipino", "lang": "fil-PH"}], "Filipino"),
])
def test_a_voice_of_the_pages_language_or_its_nearest_region(site, context, path, voices, chosen):
    page = open_page(context, site.url + path, voices)
    lang = page.evaluate("document.documentElement.lang")
    page.locator(".listen-start").click()
    log = read_all(page, limit=3)
    assert log and {(u["voice"], u["lang"]) for u in log} == {(chosen, lang)}


@pytest.mark.parametrize("path, voices", [
    ("en/", [{"name": "Français", "lang": "fr-FR"}]),
    ("zh-hant/", [{"name": "Putonghua", "lang": "zh-CN"}]),
    ("zh-hans/", [{"name": "Taiwan", "lang": "zh-TW"}]),
    ("pt-br/", [{"name": "Galego", "lang": "gl-ES"}]),
    ("en/", [{"name": "Online English", "lang": "en-GB", "localService": False}]),
    ("en/", []),
])
def test_no_voice_for_the_language_no_control(site, context, path, voices):
    page = open_page(context, site.url + path, voices, wait=False)
    listen_loaded(page)
    assert not page.locator(".listen").is_visible()
    assert page.locator(".listen-here").count() == 0


def test_voices_that_arrive_late_show_the_control(site, context):
    page = open_page(context, site.url + "en/", [], wait=False)
    listen_loaded(page)
    assert not page.locator(".listen").is_visible()
    page.evaluate(f"window.__speech.setVoices({json.dumps(ENGLISH)})")
    assert page.locator(".listen").is_visible()


def test_without_speech_synthesis_or_javascript_nothing_is_shown(site, context, browser):
    page = open_page(context, site.url + "en/", None, wait=False)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("'speechSynthesis' in window") is False
    assert not page.locator(".listen").is_visible()
    assert not [u for u in requests if "listen." in u], "listen.js is not even loaded"
    no_js = browser.new_context(java_script_enabled=False)
    page = no_js.new_page()
    page.goto(site.url + "en/")
    assert not page.locator(".listen").is_visible()
    assert page.locator("main button:visible").count() == 0
    no_js.close()


def test_arabic_is_read_with_an_arabic_voice_and_the_controls_follow_rtl(site, context):
    voices = [{"name": "English", "lang": "en-US"}, {"name": "العربية", "lang": "ar-SA"}]
    page = open_page(context, site.url + "ar/", voices)
    expected = reading_order((site.out / "ar" / "index.html").read_text())
    page.locator(".listen-start").click()
    bar = page.locator(".listen")
    assert bar.evaluate("e => getComputedStyle(e).direction") == "rtl"
    pause, stop = page.locator(".listen-pause").bounding_box(), page.locator(".listen-stop").bounding_box()
    assert pause["x"] > stop["x"], "the first control is on the right"
    assert page.locator(".listen-next svg").evaluate("e => getComputedStyle(e).transform") != "none", \
        "the next-section arrow points left"
    here = page.locator(".listen-here").first.bounding_box()
    heading = page.locator("main h2:not(#toc-title)").first.bounding_box()
    assert abs(here["x"] + here["width"] - heading["x"] - heading["width"]) < 2, "listen from here sits at the right"
    log = read_all(page)
    assert [u["text"] for u in log] == expected
    assert {(u["lang"], u["voice"]) for u in log} == {("ar", "العربية")}


def test_works_under_the_real_csp(site, browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(SPEECH_STUB)
    page.add_init_script(f"window.__speech.setVoices({json.dumps(ENGLISH)})")
    page.goto(site.url + "en/")
    page.locator(".listen").wait_for(state="visible", timeout=10000)
    page.locator(".listen-start").click()
    page.locator(".listen-next").click()
    page.locator(".listen-pause").click()
    page.locator(".listen-resume").click()
    page.locator(".listen-stop").click()
    assert page.evaluate("window.__speech.log.length") >= 3
    assert problems == []
    context.close()
