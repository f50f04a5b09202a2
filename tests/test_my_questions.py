"""'My questions' (static/notes.js) on the questions page, in a real Chromium against a real
static server: ticks, notes and own questions kept in localStorage only, through reloads and
new builds; delete, print, share and copy."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from helpers import SITE_URL, ServedBuild, ready_to_print, requires
from pocket_guide.precache import NAMES

KEY = NAMES["notes"] + ":en"
QUESTIONS = "en/questions/"


@pytest.fixture
def site(tmp_path):
    with ServedBuild(tmp_path / "p", ("ar",)) as site:
        yield site


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740}, bypass_csp=True)
    yield context
    context.close()


def open_questions(context, site, path: str = QUESTIONS):
    page = context.new_page()
    page.goto(site.url + path)
    page.locator(".my-questions").wait_for(state="visible", timeout=10000)
    return page


def question(page, n: int):
    return page.locator(".checklist li").nth(n)


def stored(page):
    return json.loads(page.evaluate(f"localStorage.getItem('{KEY}')") or "null")


def fill_in(page) -> None:
    """Tick questions 2 and 5, write a note under 2, add an own question with a note."""
    question(page, 1).locator("label.my-q").click()  # the question itself is the label
    question(page, 1).get_by_label("Your notes").fill("Ask about the brand: Radiesse?")
    question(page, 4).get_by_role("checkbox").check()
    page.get_by_role("button", name="Add your own question").click()
    own = page.locator(".own-questions li").last
    assert own.get_by_label("Your question").evaluate("e => e === document.activeElement")
    own.get_by_label("Your question").fill("¿Puedo hacer deporte después?")
    own.get_by_label("Your notes").fill("ممكن بعد أسبوع")


def check_filled_in(page, also: tuple[int, ...] = ()) -> None:
    ticks = [question(page, n).get_by_role("checkbox").is_checked() for n in range(7)]
    assert ticks == [n in (1, 4, *also) for n in range(7)]
    assert question(page, 1).get_by_label("Your notes").input_value() == "Ask about the brand: Radiesse?"
    own = page.locator(".own-questions li")
    assert own.count() == 1
    assert own.get_by_label("Your question").input_value() == "¿Puedo hacer deporte después?"
    assert own.get_by_label("Your notes").input_value() == "ممكن بعد أسبوع"


def test_without_javascript_the_page_is_the_printable_checklist(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + QUESTIONS)
    assert page.locator(".checklist li").count() == 7
    assert not page.locator(".my-questions").is_visible()
    assert page.locator("input, textarea").filter(visible=True).count() == 0
    assert page.locator(".checklist li").first.evaluate("e => getComputedStyle(e, '::before').content") == '""'
    context.close()


def test_ticks_notes_and_own_questions_survive_a_reload(site, context):
    page = open_questions(context, site)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    checkbox = question(page, 0).get_by_role("checkbox")
    assert checkbox.evaluate("e => e.labels[0].textContent.trim()") == question(page, 0).inner_text().strip()
    assert not question(page, 0).get_by_label("Your notes").is_visible(), "a note box under ticked questions only"
    fill_in(page)
    assert all(box.get_attribute("dir") == "auto" for box in page.locator("textarea").all())
    saved = stored(page)
    assert [(q["at"], q["ticked"]) for q in saved["asked"]] == [(1, True), (4, True)]
    page.reload()
    page.locator(".my-questions").wait_for(state="visible")
    check_filled_in(page)
    assert page.evaluate("Object.keys(localStorage)") == [KEY], "one key, nothing else kept"
    origin = re.match(r"https?://[^/]+/", site.url).group()
    assert requests and all(url.startswith(origin) for url in requests), "no request leaves the origin"


def test_works_offline_once_the_language_is_saved(site, context):
    page = open_questions(context, site)
    fill_in(page)
    page.wait_for_function("document.documentElement.dataset.saved === 'en'", timeout=15000)
    site.stop()
    page.reload()
    page.locator(".my-questions").wait_for(state="visible", timeout=10000)
    check_filled_in(page)


def test_notes_survive_a_new_build_and_a_reworded_question(site, context):
    page = open_questions(context, site)
    fill_in(page)
    question(page, 6).get_by_role("checkbox").check()
    question(page, 6).get_by_label("Your notes").fill("Bring the leaflet")
    site.edit("index.md", "The success of filler treatments for cellulite can vary.",
                 "The success of filler treatments for cellulite varies.")
    page.reload()
    page.locator(".my-questions").wait_for(state="visible")
    check_filled_in(page, also=(6,))
    assert question(page, 6).get_by_label("Your notes").input_value() == "Bring the leaflet"
    # New wording for question 2, question 7 removed: the tick stays on the reworded question,
    # and the removed one, with its note, becomes one of the patient's own questions.
    site.edit("questions.md", "Which type of filler would you use for me, and why?",
                 "Which filler would you choose for me, and why?")
    site.edit("questions.md", "- Which pre- and post-procedure care instructions should I follow?\n", "")
    for _ in range(3):
        page.reload()
        page.locator(".my-questions").wait_for(state="visible")
        if page.locator(".checklist li").count() == 6:
            break
    assert question(page, 1).locator("label.my-q").inner_text().strip() == "Which filler would you choose for me, and why?"
    assert question(page, 1).get_by_role("checkbox").is_checked()
    assert question(page, 1).get_by_label("Your notes").input_value() == "Ask about the brand: Radiesse?"
    own = page.locator(".own-questions li")
    assert [o.get_by_label("Your question").input_value() for o in own.all()] == [
        "Which pre- and post-procedure care instructions should I follow?", "¿Puedo hacer deporte después?"]
    assert own.first.get_by_label("Your notes").input_value() == "Bring the leaflet"


def test_delete_asks_first_then_clears_everything(site, context):
    page = open_questions(context, site)
    fill_in(page)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete my notes").click()
    assert stored(page) is not None
    messages = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()
    page.once("dialog", accept)
    page.get_by_role("button", name="Delete my notes").click()
    assert messages == ["Delete your ticks and notes from this phone?"]
    assert page.locator(".my-status[role=status]").inner_text() == "Your ticks and notes were deleted from this phone."
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    assert page.locator(".checklist input:checked").count() == 0
    assert page.locator(".own-questions li").count() == 0
    page.reload()
    page.locator(".my-questions").wait_for(state="visible")
    assert page.locator(".checklist input:checked").count() == 0


PRINT_STUB = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


def test_print_my_questions_shows_only_the_ticked_and_own_ones_with_the_qr_code(site, context, tmp_path):
    context.add_init_script(PRINT_STUB)
    page = open_questions(context, site)
    fill_in(page)
    page.get_by_role("button", name="Print my questions").click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("document.body.classList.contains('print-mine')")
    ready_to_print(page)
    page.emulate_media(media="print")
    visible = [question(page, n).is_visible() for n in range(7)]
    assert visible == [False, True, False, False, True, False, False]
    assert page.locator("h1").is_visible()
    assert page.locator(".print-link .qr").is_visible(), "the guide's QR code"
    text = page.locator("main").inner_text()
    for shown in ("Ask about the brand: Radiesse?", "¿Puedo hacer deporte después?", "ممكن بعد أسبوع"):
        assert shown in text
    assert "Tick the questions you want to ask" not in text
    for hidden in ("textarea", "button", ".my-field label", ".listen"):
        assert page.locator(f"main {hidden}").filter(visible=True).count() == 0, hidden
    requires("pdftotext")
    pdf = tmp_path / "my-questions.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert "Which type of filler would you use for me, and why?" in printed
    assert "Ask about the brand: Radiesse?" in printed
    assert "What experience and expertise" not in printed
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not page.evaluate("document.body.classList.contains('print-mine')")
    page.emulate_media(media="print")
    assert question(page, 0).is_visible(), "printing the page itself still prints the whole checklist"


def test_share_uses_the_share_sheet_with_the_questions_as_text(site, context):
    context.add_init_script("window.__shared = []; navigator.share = (data) => { window.__shared.push(data); "
                            "return Promise.resolve(); };")
    page = open_questions(context, site)
    fill_in(page)
    page.get_by_role("button", name="Share my questions").click()
    shared = page.evaluate("window.__shared")
    assert len(shared) == 1 and set(shared[0]) == {"text"}
    text = shared[0]["text"]
    assert text.startswith("Questions for your dermatologist\n")
    assert "- Which type of filler would you use for me, and why?\n  Ask about the brand: Radiesse?" in text
    assert "- What are the potential benefits, risks, and expected outcomes in my case?" in text
    assert "- ¿Puedo hacer deporte después?\n  ممكن بعد أسبوع" in text
    assert "What experience and expertise" not in text
    assert text.endswith(SITE_URL + "en/questions/")
    assert page.locator(".my-status").inner_text() == ""


def test_without_a_share_sheet_the_questions_are_copied(site, context):
    context.add_init_script("delete Navigator.prototype.share; window.__copied = [];"
                            "Object.defineProperty(navigator, 'clipboard', {value: {writeText: (t) => "
                            "{ window.__copied.push(t); return Promise.resolve(); }}});")
    page = open_questions(context, site)
    fill_in(page)
    page.get_by_role("button", name="Share my questions").click()
    status = page.locator(".my-status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Copied" and status.get_attribute("role") == "status"
    copied = page.evaluate("window.__copied")
    assert len(copied) == 1 and "Ask about the brand: Radiesse?" in copied[0]


def test_rtl_page_and_the_real_csp(site, browser):
    context = browser.new_context(locale="ar")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(site.url + "ar/questions/")
    page.locator(".my-questions").wait_for(state="visible", timeout=10000)
    first = page.locator(".checklist li").first
    first.get_by_role("checkbox").check()
    box, item = first.get_by_role("checkbox").bounding_box(), first.bounding_box()
    assert box["x"] + box["width"] > item["x"] + item["width"] - 4, "the tick is at the start of the line: right"
    first.locator("textarea").fill("note")
    page.locator(".my-add").click()
    assert json.loads(page.evaluate(f"localStorage.getItem('{NAMES['notes']}:ar')"))["asked"][0]["note"] == "note"
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None, "each language keeps its own"
    assert problems == []
    context.close()
