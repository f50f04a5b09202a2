"""What a screen reader gets from the read-aloud controls, "My questions" and "Share this guide":
Chromium's accessibility tree (what it hands NVDA, JAWS, VoiceOver and TalkBack) read over CDP,
on Linux the platform tree Orca reads (AT-SPI), and what Orca itself says, in English and Arabic,
driven by keyboard only.

Read aloud and a running screen reader: listen.js never moves focus while it reads (the block read
is highlighted and scrolled to, the screen reader's own cursor stays where it was), registers no
key handler (no shortcut is taken from the screen reader) and has no live region for the text, so
the screen reader does not read it a second time. Focus moves only when the button pressed hides
itself (Listen, Pause, Resume, Stop at the end): the screen reader then announces the button that
replaces it, and so the new state. The two voices can overlap for a moment when reading starts
(the screen reader says "Pause, button" as the page's voice begins).

Orca (43) said nothing at all after Listen, Pause, Resume or Stop while the pressed button left the
tree in the same update as focus moved (Chromium reports the removal first, and Orca then moves its
cursor to the next button quietly): listen.js now hides the pressed button two frames later.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engines import DIES_WITH_US, _kill_group, virtual_display
from helpers import CHROMIUM, CHROMIUM_ARGS, REPO, SITE_URL, ServedBuild, requires
from test_listen import SPEECH_STUB, contrast, settled

VOICES = [{"name": "English", "lang": "en-GB"}, {"name": "العربية", "lang": "ar-SA"}]
NO_SHARE = "delete Navigator.prototype.share; delete Navigator.prototype.clipboard;"


def strings(lang: str):
    """The interface string ``msgid`` as the page in ``lang`` shows it."""
    if lang == "en":
        return lambda msgid: msgid
    with open(REPO / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)

    def text(msgid: str) -> str:
        message = catalog.get(msgid)
        assert message and message.string and message.string != msgid, f"{msgid!r} is not translated in {lang}"
        return message.string
    return text


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with ServedBuild(tmp_path_factory.mktemp("screen-reader") / "p", ("ar",)) as site:
        yield site


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, bypass_csp=True)
    context.add_init_script(SPEECH_STUB)
    context.add_init_script(f"window.__speech.setVoices({json.dumps(VOICES)})")
    yield context
    context.close()


def open_page(context, url: str, ready: str = ".listen"):
    page = context.new_page()
    page.goto(url)
    page.locator(ready).wait_for(state="visible", timeout=10000)
    page.cdp = context.new_cdp_session(page)
    return page


def ax(page, selector: str = "") -> dict:
    """Chromium's accessibility node for the element ``selector`` (default: the focused one):
    role, name, description, ignored, and its properties (focused, pressed, expanded, checked, live)."""
    target = f"document.querySelector({json.dumps(selector)})" if selector else "document.activeElement"
    element = page.cdp.send("Runtime.evaluate", {"expression": target})["result"]
    assert "objectId" in element, f"no element {selector!r}"
    node = page.cdp.send("Accessibility.getPartialAXTree",
                         {"objectId": element["objectId"], "fetchRelatives": False})["nodes"][0]
    value = lambda key: (node.get(key) or {}).get("value")  # noqa: E731
    return {"role": value("role"), "name": (value("name") or "").strip(), "description": value("description"),
            "ignored": node.get("ignored", False),
            **{prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}}


def tab_to(page, selector: str, limit: int = 20) -> None:
    """Press Tab from the start of the main text until ``selector`` has focus."""
    page.locator("main").focus()
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.locator(selector).evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def focused(page) -> tuple[str, str]:
    node = ax(page)
    assert node.get("focused"), node
    return node["role"], node["name"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_listen_by_keyboard_names_and_states_in_each_state(site, context, lang):
    _ = strings(lang)
    page = open_page(context, site.url + lang + "/")
    group = ax(page, ".listen")
    assert (group["role"], group["name"]) == ("group", _("Listen"))
    assert ax(page, ".listen-pause")["ignored"], "the controls for reading are not there before it starts"
    tab_to(page, ".listen-start")
    assert focused(page) == ("button", _("Listen"))

    page.keyboard.press("Enter")
    assert focused(page) == ("button", _("Pause")), "Listen hid itself: its replacement has focus"
    settled(page)
    assert ax(page, ".listen-start")["ignored"]
    assert page.evaluate("window.__speech.current()")
    order = [focused(page)]
    boxes = [page.evaluate("document.activeElement.getBoundingClientRect().x")]
    for _step in range(4):
        page.keyboard.press("Tab")
        order.append(focused(page))
        boxes.append(page.evaluate("document.activeElement.getBoundingClientRect().x"))
    assert order == [("button", _(name)) for name in ("Pause", "Previous section", "Next section", "Stop", "Slower")]
    rtl = lang == "ar"
    assert boxes == sorted(boxes, reverse=rtl), f"the controls run {'right to left' if rtl else 'left to right'}"
    flipped = page.evaluate("[...document.querySelectorAll('.listen-prev svg, .listen-next svg')]"
                            ".map((svg) => new DOMMatrix(getComputedStyle(svg).transform).a)")
    assert flipped == ([-1, -1] if rtl else [1, 1]), "the section arrows point the way the page reads"

    assert ax(page)["pressed"] == "false"
    page.keyboard.press("Space")
    assert focused(page) == ("button", _("Slower")) and ax(page)["pressed"] == "true"
    for _step in range(4):
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert focused(page) == ("button", _("Resume")), "the state change is the focused button's new name"
    assert page.evaluate("window.__speech.current()") is None
    page.keyboard.press("Enter")
    assert focused(page) == ("button", _("Pause"))
    settled(page)
    for _step in range(3):
        page.keyboard.press("Tab")
    assert focused(page) == ("button", _("Stop"))
    page.keyboard.press("Enter")
    assert focused(page) == ("button", _("Listen"))
    settled(page)
    assert ax(page, ".listen-pause")["ignored"]

    here = ax(page, ".listen-here")
    assert (here["role"], here["name"]) == ("button", _("Listen from here"))
    heading = page.locator(".listen-here").first.evaluate("b => b.previousElementSibling.textContent")
    assert here["description"] == heading, "the button says which section it reads from"


def test_a_button_pressed_without_focus_hands_focus_to_its_replacement(site, context):
    """Screen readers on phones (VoiceOver in Safari) press a button without focusing it."""
    page = open_page(context, site.url + "en/")

    def press(selector: str) -> tuple[str, str]:
        page.evaluate("document.activeElement.blur()")
        page.locator(selector).dispatch_event("click")
        return focused(page)

    assert press(".listen-start") == ("button", "Pause")
    assert press(".listen-pause") == ("button", "Resume")
    assert press(".listen-resume") == ("button", "Pause")
    assert press(".listen-stop") == ("button", "Listen")
    page.locator(".listen-here").last.dispatch_event("click")
    assert press(".listen-next") == ("button", "Listen"), "past the last section reading ends: Listen has focus"


def test_every_block_read_is_outlined_with_3_to_1_contrast(site, context):
    """WCAG 1.4.11 and 1.4.1: the highlight is an outline (a shape, not colour alone), 3:1 against
    what is around the block and the block's own background, in light, dark and forced colours."""
    page = open_page(context, site.url + "en/")  # its key points are a box: blocks on two backgrounds
    for scheme, forced in (("light", "none"), ("dark", "none"), ("dark", "active")):
        page.emulate_media(color_scheme=scheme, forced_colors=forced)
        page.locator(".listen-start").click()
        seen = 0
        while page.evaluate("window.__speech.current()") is not None:
            style = page.evaluate("""() => {
                const el = document.querySelector('.reading'); const s = getComputedStyle(el);
                const behind = (node) => {  // the colour around the block: the first ancestor that paints one
                  for (; node; node = node.parentElement) {
                    const bg = getComputedStyle(node).backgroundColor;
                    if (!/^rgba\\(.*, 0\\)$|transparent/.test(bg)) return bg;
                  }
                  return 'rgb(255, 255, 255)';
                };
                const own = s.backgroundColor === 'rgba(0, 0, 0, 0)' ? behind(el.parentElement) : s.backgroundColor;
                const seen = { text: el.textContent.trim().slice(0, 40), outline: s.outlineColor, style: s.outlineStyle,
                               width: parseFloat(s.outlineWidth), around: behind(el.parentElement), own, colour: s.color };
                window.__speech.end();  // on to the next block (s is live: read before)
                return seen;
            }""")
            seen += 1
            where = f"{scheme}, forced colours {forced}: {style}"
            assert style["style"] == "solid" and style["width"] >= 2, f"an outline, not colour alone ({where})"
            assert contrast(style["outline"], style["around"]) >= 3, where
            assert contrast(style["outline"], style["own"]) >= 3, where
            assert contrast(style["colour"], style["own"]) >= 4.5, where
        assert seen > 30
    page.locator(".listen-start").click()
    assert page.locator(".reading").evaluate("e => getComputedStyle(e).outlineColor") != \
        page.locator(".listen-start").evaluate("e => getComputedStyle(e).color"), "forced colours: not the text colour"


def test_focus_is_never_hidden_under_the_controls_while_reading(site, browser):
    """WCAG 2.4.11: while reading, the controls stay at the top; nothing focused hides under them."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, reduced_motion="reduce", bypass_csp=True)
    context.add_init_script(SPEECH_STUB)
    context.add_init_script(f"window.__speech.setVoices({json.dumps(VOICES)})")
    page = open_page(context, site.url + "en/")
    page.locator(".listen-start").click()
    visited = set()
    for key in ["Tab"] * 25 + ["Shift+Tab"] * 25:
        page.keyboard.press(key)
        where = page.evaluate("""() => {
            const el = document.activeElement, bar = document.querySelector('.listen');
            const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
            return { name: el.textContent.trim().slice(0, 30), inBar: bar.contains(el) || el === document.body,
                     hidden: r.top >= b.top && r.bottom <= b.bottom && r.height > 0 };
        }""")
        visited.add(where["name"])
        assert where["inBar"] or not where["hidden"], f"{where['name']!r} is hidden under the controls ({key})"
    assert len(visited) > 10


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_my_questions_names_states_and_announcements(site, context, lang):
    _ = strings(lang)
    context.add_init_script(NO_SHARE)  # copied instead: the status says so
    page = open_page(context, site.url + lang + "/questions/", ready=".my-questions")
    region = ax(page, ".my-questions")
    assert (region["role"], region["name"]) == ("region", _("My questions"))
    status = ax(page, ".my-status")
    assert not status["ignored"] and (status["role"], status["live"]) == ("status", "polite"), \
        "the live region is in the tree before its text changes"

    tick = page.locator(".my-tick").first
    question = page.locator(".checklist li").first.inner_text().strip()
    tick.focus()
    assert focused(page) == ("checkbox", question) and ax(page)["checked"] == "false"
    page.keyboard.press("Space")
    assert ax(page)["checked"] == "true"
    page.keyboard.press("Tab")
    note = ax(page)
    assert (note["role"], note["name"], note["description"]) == ("textbox", _("Your notes"), question)

    page.locator(".my-add").focus()
    page.keyboard.press("Enter")
    assert focused(page) == ("textbox", _("Your question"))

    page.locator(".my-share").focus()
    page.keyboard.press("Enter")
    page.locator(".my-status").filter(has_text=_("Copied")).wait_for()
    assert focused(page) == ("button", _("Share my questions")), "copying keeps focus on the button"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".my-delete").focus()
    page.keyboard.press("Enter")
    assert not tick.is_checked()
    assert focused(page) == ("button", _("Delete my notes"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_share_this_guide_is_a_disclosure_with_its_state(site, context, lang):
    _ = strings(lang)
    page = open_page(context, site.url + lang + "/about/", ready=".share")
    page.locator(".share summary").focus()
    assert focused(page) == ("DisclosureTriangle", _("Share this guide"))
    assert ax(page)["expanded"] is False
    page.keyboard.press("Enter")
    assert ax(page)["expanded"] is True
    code = ax(page, ".share img.qr")
    assert code["role"] == "image" and code["name"] == SITE_URL + lang + "/about/"
    page.keyboard.press("Space")
    assert ax(page)["expanded"] is False


# AT-SPI, the accessibility bus Orca reads: a private D-Bus session bus (which starts the
# accessibility bus and its registry on demand), Xvfb, a Chromium with a window and
# accessibility on, and Debian's python3 reading the tree (tests/atspi_tree.py).
ATSPI_TREE = Path(__file__).with_name("atspi_tree.py")


@contextmanager
def session_bus():
    """A D-Bus session bus of our own that can start only the accessibility bus; yields its address."""
    with tempfile.TemporaryDirectory() as folder:
        services = Path(folder, "services")
        services.mkdir()
        (services / "org.a11y.Bus.service").symlink_to("/usr/share/dbus-1/services/org.a11y.Bus.service")
        config = Path(folder, "session.conf")
        config.write_text(
            '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"'
            ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
            f"<busconfig><type>session</type><listen>unix:dir={folder}</listen>"
            f"<servicedir>{services}</servicedir><policy context=\"default\"><allow send_destination=\"*\"/>"
            '<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n')
        # The accessibility bus it starts puts its socket in $XDG_RUNTIME_DIR (else ~/.cache, shared
        # with any other session on the machine): here, our own folder.
        bus = subprocess.Popen([*DIES_WITH_US, "dbus-daemon", f"--config-file={config}", "--nofork",
                                "--print-address=1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, start_new_session=True, env=dict(os.environ, XDG_RUNTIME_DIR=folder))
        try:
            address = bus.stdout.readline().strip()
            assert address.startswith("unix:"), f"dbus-daemon did not start (exit code {bus.poll()})"
            yield address
        finally:
            _kill_group(bus)
            bus.stdout.close()


@contextmanager
def accessible_desktop(playwright, before_browser=None):
    """A display and a session bus of our own, and a Chromium on them with accessibility on;
    ``before_browser(env)`` starts what must be there first (a screen reader) and returns its
    stop function. Yields (browser, env, what before_browser made)."""
    with virtual_display() as display, session_bus() as address:
        env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=address, ACCESSIBILITY_ENABLED="1")
        first = before_browser(env) if before_browser else None
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=False, env=env,
                                                 args=[*CHROMIUM_ARGS, "--force-renderer-accessibility"])
            try:
                yield browser, env, first
            finally:
                browser.close()
        finally:
            if first is not None:
                first.stop()


@pytest.fixture(scope="module")
def orca_view(playwright):
    requires("xvfb", "dbus-daemon", "at-spi", "pyatspi")
    with accessible_desktop(playwright) as (browser, env, _):
        yield browser, env


def atspi_listen_controls(page, env) -> list[tuple]:
    """The Listen group and its visible controls as AT-SPI exposes them: (role, name, states);
    [] while AT-SPI does not show the page's document or its Listen group yet."""
    done = subprocess.run(["/usr/bin/python3", str(ATSPI_TREE), page.url], env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    nodes = json.loads(done.stdout) or []
    name = page.locator(".listen").get_attribute("aria-label")
    start = next((i for i, node in enumerate(nodes) if node["role"] == "panel" and node["name"] == name), None)
    if start is None:
        return []
    group = [nodes[start]]
    for node in nodes[start + 1:]:
        if node["depth"] <= nodes[start]["depth"]:
            break
        group.append(node)
    keep = {"focusable", "focused", "pressed", "showing"}
    return [(node["role"], node["name"].strip(), keep & set(node["states"])) for node in group
            if "showing" in node["states"]]


def atspi_settles(page, env, expected: list[tuple], timeout: float = 10) -> list[tuple]:
    """The Listen controls in AT-SPI once they equal ``expected`` (or at ``timeout``, what they were):
    the platform tree follows the page's a little later (a page just opened, and the Listen group
    listen.js adds after the load event, can be missing from it for a moment), and a button that
    hides itself leaves two frames after its replacement took focus (listen.js). Every read of the
    platform tree goes through here."""
    end = time.monotonic() + timeout
    while (seen := atspi_listen_controls(page, env)) != expected and time.monotonic() < end:
        time.sleep(0.1)
    return seen


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_orca_gets_the_listen_controls_names_and_states_from_at_spi(site, orca_view, lang):
    browser, env = orca_view
    _ = strings(lang)
    page = browser.new_page()
    page.add_init_script(SPEECH_STUB)
    page.add_init_script(f"window.__speech.setVoices({json.dumps(VOICES)})")
    page.goto(site.url + lang + "/")
    page.locator(".listen").wait_for(state="visible", timeout=10000)
    button = lambda name, *states: ("push button", _(name), {"focusable", "showing", *states})  # noqa: E731
    slower = lambda *states: ("toggle button", _("Slower"), {"focusable", "showing", *states})  # noqa: E731
    group = ("panel", _("Listen"), {"showing"})
    expected = [group, button("Listen")]
    assert atspi_settles(page, env, expected) == expected
    tab_to(page, ".listen-start")
    page.keyboard.press("Enter")
    controls = [button("Previous section"), button("Next section"), button("Stop")]
    expected = [group, button("Pause", "focused"), *controls, slower()]
    assert atspi_settles(page, env, expected) == expected
    page.keyboard.press("Enter")
    expected = [group, button("Resume", "focused"), *controls, slower()]
    assert atspi_settles(page, env, expected) == expected
    page.locator(".listen-slower").focus()
    page.keyboard.press("Space")
    expected = [group, button("Resume"), *controls, slower("focused", "pressed")]
    assert atspi_settles(page, env, expected) == expected
    page.close()


# Orca itself, on that bus and display: what it says is what its speech module logs, printed by
# tests/orca_speech.py (Debian's python3) one JSON string a line; no voice says it.
ORCA_SPEECH = Path(__file__).with_name("orca_speech.py")


class Orca:
    """Orca running for ``env`` (its bus and display), with a throwaway home and no voice."""

    def __init__(self, env: dict, home: Path):
        (home / "run").mkdir(mode=0o700)
        own = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
               "XDG_CACHE_HOME": str(home / "cache"), "XDG_RUNTIME_DIR": str(home / "run"), "LANG": "C.UTF-8",
               "GSETTINGS_BACKEND": "memory",  # Orca turns accessibility on in GSettings: not the machine's
               # No speech-dispatcher: none to connect to, none started (Orca says "SPEECH: Not available").
               "SPEECHD_ADDRESS": f"unix_socket:{home / 'run' / 'none'}", "SPEECHD_CMD": "/bin/false"}
        environment = {key: value for key, value in env.items() if key != "PYTHONPATH"} | own
        self.debug_log = home / "orca-debug.log"
        self.process = subprocess.Popen(
            [*DIES_WITH_US, "/usr/bin/python3", str(ORCA_SPEECH), str(home / "prefs"), str(self.debug_log)],
            env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        started = self.says("Screen reader on.", timeout=30)
        assert started[-1:] == ["Screen reader on."], f"Orca did not start: {started}; see {self.debug_log}"

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def says(self, last: str | None = None, timeout: float = 10, quiet: float = 0.4) -> list[str]:
        """What Orca says from now until it has said ``last`` (if given) and then nothing for ``quiet`` s."""
        said: list[str] = []
        end = time.monotonic() + timeout
        heard = last is None
        while time.monotonic() < end:
            try:
                said.append(self.lines.get(timeout=quiet))
                heard = heard or said[-1] == last
            except queue.Empty:
                if heard:
                    break
        return said

    def stop(self) -> None:
        _kill_group(self.process)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def orca(playwright, tmp_path_factory):
    """Orca with its own display and bus, and a Chromium with accessibility on it."""
    requires("xvfb", "dbus-daemon", "at-spi", "pyatspi", "orca")
    folder = tmp_path_factory.mktemp("orca")
    with accessible_desktop(playwright, lambda env: Orca(env, folder)) as (browser, _, reader):
        yield reader, browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_orca_says_each_listen_button_and_the_new_one_after_each_press(site, orca, lang):
    """Each button that hides itself gives focus to its replacement, and Orca says it."""
    reader, browser = orca
    _ = strings(lang)
    button = lambda name: f"{_(name)} push button."  # noqa: E731  (Orca's own words are English here)
    page = browser.new_page()
    page.add_init_script(SPEECH_STUB)
    page.add_init_script(f"window.__speech.setVoices({json.dumps(VOICES)})")
    page.goto(site.url + lang + "/")
    page.locator(".listen").wait_for(state="visible", timeout=10000)
    reader.says()  # the page loading, the browser's own bubbles
    tab_to(page, ".listen-start")
    said = reader.says(button("Listen"))
    assert said[-2:] == [f"{_('Listen')} panel.", button("Listen")], said
    for key, name in (("Enter", "Pause"), ("Space", "Resume"), ("Enter", "Pause")):
        page.keyboard.press(key)
        assert reader.says(button(name)) == [button(name)], f"after {key}, focus is on {name}"
    for name in ("Previous section", "Next section", "Stop"):
        page.keyboard.press("Tab")
        assert reader.says(button(name)) == [button(name)]
    page.keyboard.press("Enter")
    assert reader.says(button("Listen")) == [button("Listen")], "after Stop, focus is on Listen"
    page.close()


def test_orca_says_each_question_with_its_check_box_and_state(site, orca):
    reader, browser = orca
    page = browser.new_page()
    page.goto(site.url + "en/questions/")
    page.locator(".my-questions").wait_for(state="visible", timeout=10000)
    reader.says()
    questions = [" ".join(text.split()) for text in page.locator(".checklist li").all_inner_texts()]
    assert len(questions) > 3
    page.locator(".my-tick").first.focus()
    first = f"{questions[0]} check box not checked."
    said = reader.says(first)
    assert said[-1:] == [first], said
    page.keyboard.press("Space")
    assert reader.says("checked") == ["checked"]
    page.keyboard.press("Tab")
    said = reader.says(questions[0])
    assert said[:2] == ["Your notes entry.", questions[0]], "the note box is named, and described by its question"
    page.keyboard.press("Shift+Tab")
    reader.says(f"{questions[0]} check box checked.")
    page.keyboard.press("Space")
    assert reader.says("not checked") == ["not checked"]
    for question in questions[1:]:
        page.keyboard.press("Tab")
        assert reader.says(f"{question} check box not checked.") == [f"{question} check box not checked."]
    page.close()
