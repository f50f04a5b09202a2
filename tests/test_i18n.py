"""Translations: the extractor, the translator round trip, and what patients see."""
from __future__ import annotations

import io
import re
import unicodedata
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from helpers import DATA, REPO, SITE_URL, html_files, make_project, page_text
from pocket_guide import create_app
from pocket_guide.build import build
from pocket_guide.cli import main
from pocket_guide.catalogs import catalog_paths
from pocket_guide.extract import extract_markdown
from source import source_sentences

SHIPPED = sorted(catalog_paths(REPO / "translations"))


def load_po(path: Path):
    with open(path, "rb") as handle:
        return read_po(handle)


def extract(text: str) -> list[tuple]:
    return list(extract_markdown(io.BytesIO(text.encode()), [], [], {}))


PAGE = """---
title: A title
slug: extra
order: 5
last_reviewed: 2026-01-01
next_review_due: 2027-01-01
---

## Risks and side effects {#risks}

First line of a paragraph
that goes on, with **bold** and a [link](index.md).

- An item
- Another item

::: checklist
- A question?
:::
"""


def test_extractor_gives_one_msgid_per_block_with_lines_and_context():
    found = extract(PAGE)
    assert [(line, msgid) for line, _, msgid, _ in found] == [
        (2, "A title"),
        (9, "Risks and side effects"),
        (11, "First line of a paragraph that goes on, with **bold** and a [link](index.md)."),
        (14, "An item"),
        (15, "Another item"),
        (18, "A question?"),
    ]
    comments = {msgid: c[0] for _, _, msgid, c in found}
    assert comments["Risks and side effects"] == "Heading (level 2)."
    assert comments["An item"] == 'List item in the section "Risks and side effects".'
    assert comments["A question?"] == 'Checklist question in the section "Risks and side effects".'
    assert "Keep the Markdown" in comments[found[2][2]]


def test_extractor_handles_crlf_and_bom():
    assert extract("\ufeff" + PAGE.replace("\n", "\r\n")) == extract(PAGE)


def test_committed_template_is_current(tmp_path):
    """translations/messages.pot lists exactly what the sources need now."""
    project = make_project(tmp_path / "p", translations=False)
    shutil.copytree(REPO / "site", project / "site", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    assert main(["--root", str(project), "extract"]) == 0
    fresh = load_po(project / "translations" / "messages.pot")
    committed = load_po(REPO / "translations" / "messages.pot")
    assert {m.id for m in fresh} == {m.id for m in committed}


def test_round_trip_extract_init_translate_compile_freeze(tmp_path):
    """A translator adds Italian with the standard tools; no code or config changes."""
    project = make_project(tmp_path / "p", translations=False)
    shutil.copytree(REPO / "site", project / "site", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    assert main(["--root", str(project), "extract"]) == 0
    CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(project / "translations" / "messages.pot"),
                                "-d", str(project / "translations"), "-l", "it"])
    po_path = project / "translations" / "it" / "LC_MESSAGES" / "messages.po"
    catalog = load_po(po_path)
    catalog["Fillers for cellulite"].string = "Filler per la cellulite"
    catalog["Common side effects include bruising, swelling, and redness."].string = \
        "Gli effetti collaterali comuni includono lividi, gonfiore e arrossamento."
    with open(po_path, "wb") as handle:
        write_po(handle, catalog)
    assert main(["--root", str(project), "compile"]) == 0
    assert po_path.with_suffix(".mo").is_file()
    build(project, project / "build", SITE_URL)
    out = project / "build"
    page = (out / "it" / "index.html").read_text()
    assert '<html lang="it" dir="ltr"' in page
    assert "<h1>Filler per la cellulite</h1>" in page
    assert "Gli effetti collaterali comuni includono lividi, gonfiore e arrossamento." in page
    assert '<span lang="en">Types of fillers for cellulite</span>' in page  # untranslated: marked English
    assert "Part of this page is not yet translated" in page
    assert 'hreflang="it"' in (out / "index.html").read_text()
    assert 'hreflang="it"' in (out / "en" / "about" / "index.html").read_text()
    assert f"<loc>{SITE_URL}it/</loc>" in (out / "sitemap.xml").read_text()
    assert "Italiano" in (out / "poster" / "index.html").read_text()


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("shipped") / "p")
    build(root, root / "build", SITE_URL)
    return root / "build"


#: Added with the review kit and left for translators: until translated they show in English.
REVIEW_NOTICES = {"Checked by a medical translator on %(date)s.",
                  "%(count)s passage changed since it was checked by a medical translator on %(date)s."}
#: Added with read aloud and "my questions" (templates/listen.html, my-questions.html), left for translators.
READ_ALOUD_AND_MY_QUESTIONS = {
    "Listen", "Listen from here", "Pause", "Resume", "Previous section", "Next section", "Slower", "Stop",
    "My questions", "Your ticks and notes stay on this phone only. Nothing is sent anywhere.",
    "Add your own question", "Print my questions", "Share my questions", "Delete my notes",
    "Delete your ticks and notes from this phone?", "Copied", "Your notes", "Your question"}
#: Added with the clinic's opening hours as data (directives/contact-clinic.html), left for translators.
CLINIC_HOURS = {"Closed on public holidays"}


def test_at_least_nine_languages_ship_complete(capsys):
    assert {"es_419", "fr", "de", "pt_BR", "ar", "zh_Hans", "vi", "ru", "pl"} <= set(SHIPPED)
    assert main(["--root", str(REPO), "check"]) == 0
    out = capsys.readouterr().out
    for code in SHIPPED:
        assert re.search(rf"^{code}: ok, [0-9.]+% translated, 0 fuzzy, [0-9]+ untranslated$", out, re.M)
        catalog = load_po(REPO / "translations" / code / "LC_MESSAGES" / "messages.po")
        missing = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                   if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))}
        assert missing <= REVIEW_NOTICES | READ_ALOUD_AND_MY_QUESTIONS | CLINIC_HOURS, code


def test_every_page_of_every_language_has_lang_and_dir(shipped_build):
    for page in html_files(shipped_build):
        parts = page.relative_to(shipped_build).parts
        html = page.read_text()
        match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)"', html)
        assert match, page
        if len(parts) > 1 and parts[0] not in ("poster",):
            lang = match.group(1)
            if (shipped_build / parts[0] / "manifest.webmanifest").is_file():
                assert lang.lower() == parts[0], page
            else:  # an old address (es/) that leads to its one variant (es-419/)
                assert lang.lower().startswith(parts[0] + "-"), page
            title = re.sub(r"<[^>]+>", "", re.search(r"<(h1|title)[^>]*>(.*?)</\1>", html, re.S).group(2))
            first_strong = next(unicodedata.bidirectional(ch) for ch in title if unicodedata.bidirectional(ch) in
                                ("L", "R", "AL"))
            assert match.group(2) == ("ltr" if first_strong == "L" else "rtl"), page  # from the script itself


def test_hreflang_sets_are_complete_and_reciprocal(shipped_build):
    slugs = {p.name for p in shipped_build.iterdir() if (p / "manifest.webmanifest").is_file()}
    groups = {}
    for slug in slugs:
        for name in ("", "questions/", "about/"):
            html = (shipped_build / slug / name / "index.html").read_text()
            links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
            assert len(links) == len(slugs) + 1 and "x-default" in links
            groups[f"{SITE_URL}{slug}/{name}"] = links
    for url, links in groups.items():
        assert url in links.values(), f"{url} does not list itself"
        for other in links.values():
            assert groups[other] == links, f"{url} and {other} disagree"


def test_the_menu_names_the_language_and_leads_to_the_chooser_with_this_page(shipped_build):
    """A page's weight does not grow with the languages: its menu names the page's language and links
    to the chooser, with the page's slug (the hreflang links in the head still list every language)."""
    for path, chooser in (("de/questions/", "../../?page=questions"), ("de/", "../?page=index"), ("ar/about/", "../../?page=about")):
        html = (shipped_build / path / "index.html").read_text()
        menu = re.search(r'<details class="site-menu">.*?</details>', html, re.S).group(0)
        language = re.search(r'<html lang="([^"]+)"', html).group(1)
        assert f'<a href="{chooser}" class="choose-language">' in menu, path
        assert "hreflang" not in menu and "data-choose" not in html, path
        name = re.search(rf'hreflang="{language}"[^>]*><span class="lang-name">([^<]+)</span>',
                         (shipped_build / "index.html").read_text()).group(1)
        assert name in page_text(menu, main_only=False), path


def test_from_a_page_the_chooser_leads_to_the_same_page_in_another_language(shipped_build, serve, browser):
    base = serve(shipped_build)
    page = browser.new_page()
    page.goto(base + "de/questions/")
    page.click(".site-menu summary")
    page.click(".site-menu .choose-language")
    page.wait_for_url(base + "?page=questions")
    assert page.locator(".chooser a").count() == len(SHIPPED) + 1
    page.click('.chooser a[hreflang="vi"]')
    page.wait_for_url(base + "vi/questions/")
    page.close()


def test_no_english_source_sentence_on_translated_pages(shipped_build):
    for slug in (p.name for p in shipped_build.iterdir() if (p / "manifest.webmanifest").is_file()):
        if slug == "en":
            continue
        text = page_text((shipped_build / slug / "index.html").read_text())
        left = [s for s in source_sentences() if s in text]
        assert not left, f"{slug}: {left}"


def test_review_dates_are_formatted_for_the_locale(shipped_build):
    assert "24 de noviembre de 2026" in (shipped_build / "es-419" / "about" / "index.html").read_text()
    assert "24. November 2026" in (shipped_build / "de" / "about" / "index.html").read_text()


def test_chooser_lists_each_language_in_its_own_name(shipped_build):
    html = (shipped_build / "index.html").read_text()
    names = re.findall(r'<span class="lang-name">([^<]+)</span>', html)
    for name in ("English", "Español (Latinoamérica)", "Français", "Deutsch", "Português (Brasil)", "العربية",
                 "Tiếng Việt", "Русский", "Polski", "עברית", "فارسی", "اردو", "हिन्दी", "ไทย", "አማርኛ", "தமிழ்"):
        assert name in names
    assert any(name.startswith("中文") for name in names)


def test_unreviewed_translation_says_so_and_links_english(shipped_build):
    html = (shipped_build / "fr" / "index.html").read_text()
    assert re.search(r'<p class="notice">[^<]+<a href="\.\./en/" hreflang="en">', html)


def test_a_reviewed_translation_has_no_notice(project_all):
    catalog = load_po(project_all / "translations" / "es_419" / "LC_MESSAGES" / "messages.po")
    notice = catalog["This translation has not yet been checked by a medical translator."].string
    client = create_app({"ROOT": project_all}).test_client()
    assert notice in client.get("/es-419/").get_data(as_text=True)
    revised = catalog.revision_date.date()
    (project_all / "translations" / "es_419" / "review.toml").write_text(
        f'reviewed_by = "Dr. Ana Pérez, medical translator"\nreviewed_on = {revised.isoformat()}\n')
    client = create_app({"ROOT": project_all}).test_client()
    assert notice not in client.get("/es-419/").get_data(as_text=True)
    about = client.get("/es-419/about/").get_data(as_text=True)
    assert "Dr. Ana Pérez, medical translator" in about
    assert format_date(revised, "long", locale="es_419") in about


def test_a_review_older_than_the_last_revision_does_not_count(project_all):
    (project_all / "translations" / "es_419" / "review.toml").write_text(
        'reviewed_by = "Dr. Ana Pérez"\nreviewed_on = 2026-01-01\n')
    client = create_app({"ROOT": project_all}).test_client()
    catalog = load_po(project_all / "translations" / "es_419" / "LC_MESSAGES" / "messages.po")
    notice = catalog["This translation has not yet been checked by a medical translator."].string
    assert notice in client.get("/es-419/").get_data(as_text=True)


def install(project: Path, name: str) -> None:
    folder = project / "translations" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "catalogs" / name, folder / "messages.po")


@pytest.mark.parametrize("name", ["crlf.po", "bom.po"])
def test_crlf_and_bom_catalogs_simply_work(project, name):
    install(project, name)
    html = create_app({"ROOT": project}).test_client().get("/es/").get_data(as_text=True)
    assert "<h1>Rellenos para la celulitis</h1>" in html


def test_fuzzy_entry_shows_english_marked_and_a_notice(project, capsys):
    install(project, "fuzzy.po")
    html = create_app({"ROOT": project}).test_client().get("/es/").get_data(as_text=True)
    assert '<h1><span lang="en">Fillers for cellulite</span></h1>' in html
    assert "(borrador)" not in html
    assert "Part of this page is not yet translated" in html
    assert main(["--root", str(project), "check"]) == 0
    out = capsys.readouterr().out
    assert ("translations/es/LC_MESSAGES/messages.po:11: fuzzy translation is not shown to patients - check it "
            "against the original and remove the fuzzy flag") in out
    total = len([m for m in load_po(project / "translations" / "messages.pot") if m.id])
    assert f"es: ok, {100 / total:.1f}% translated, 1 fuzzy, {total - 2} untranslated" in out  # 1 of them translated


def test_a_catalog_cannot_inject_markup_even_past_the_checks(project):
    """Defence in depth: poison the checked translations the app renders from."""
    install(project, "crlf.po")
    app = create_app({"ROOT": project})
    messages = app.extensions["pocket_guide"].translators["es"].messages
    messages["Skip to the main text"] = '<script>alert("ui")</script>'
    messages["Fillers for cellulite"] = '<img src=x onerror=alert(1)>[x](javascript:alert(2))'
    html = app.test_client().get("/es/").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(&#34;ui&#34;)&lt;/script&gt;" in html


def test_status_reports_completeness_and_review(capsys):
    assert main(["--root", str(REPO), "status"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["language", "translated", "fuzzy", "untranslated", "medical", "review"]
    row = next(line for line in out if line.startswith("es_419 "))
    assert re.search(r"\s[0-9.]+%\s+0\s+[0-9]+\s+not reviewed$", row)


@pytest.mark.parametrize("locale, lands_on", [("de-DE", "de/"), ("zh-CN", "zh-hans/"), ("pt-BR", "pt-br/"), ("pt-PT", "pt-br/"),
                                               ("es-ES", "es-419/"),
                                               ("ar-EG", "ar/"), ("sw-KE", "")])
def test_first_visit_to_the_root_goes_to_the_best_browser_language(shipped_build, serve, browser, locale,
                                                                   lands_on):
    base = serve(shipped_build)
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(base)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.url == base + lands_on
    context.close()


def test_an_explicit_choice_is_remembered_and_wins(shipped_build, serve, browser):
    base = serve(shipped_build)
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(base)
    page.wait_for_url(base + "de/")
    page.click(".site-menu summary")
    page.click(".site-menu .choose-language")  # the chooser, from inside the guide: no redirect
    page.click('.chooser a[hreflang="es-419"]')
    page.wait_for_url(base + "es-419/")
    page.goto(base)  # a later visit, e.g. from a bookmark
    page.wait_for_url(base + "es-419/")
    page.click(".site-menu summary")
    page.click(".site-menu a[href='about/']")
    page.click('a[href="../../"]')  # "All languages": back to the chooser from inside the guide
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.url == base and page.locator(".chooser a").count() == len(SHIPPED) + 1
    context.close()


def test_without_javascript_the_chooser_is_plain_links(shipped_build, serve, browser):
    base = serve(shipped_build)
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.goto(base)
    assert page.url == base
    page.click('.chooser a[hreflang="vi"]')
    assert page.url == base + "vi/" and page.evaluate("document.documentElement.lang") == "vi"
    context.close()


def test_numbers_phones_and_latin_terms_are_isolated_in_right_to_left_text(project_all):
    """No neighbouring character or translation can reorder them: each sits in its own <bdi>."""
    (project_all / "site.toml").write_text('clinic_name = "Example Clinic"\nphone = "+44 20 7946 0000"\n'
                                           'address = "1 High Street"\n')
    client = create_app({"ROOT": project_all}).test_client()
    html = client.get("/ar/").get_data(as_text=True)
    assert '<bdi dir="ltr">PLLA</bdi>' in html and '<bdi dir="ltr">CaHA</bdi>' in html
    assert '<bdi dir="ltr">+44 20 7946 0000</bdi>' in html
    assert re.search(r'<a class="button" href="tel:\+442079460000">[^<]*<bdi dir="ltr">\+44 20 7946 0000</bdi>', html)
    assert "<bdi>Example Clinic</bdi>" in html and "<bdi>1 High Street</bdi>" in html
    assert re.search(r"<bdi>\d+ \S+ \d{4}</bdi>", html)  # review dates filled into a sentence
    english = client.get("/en/").get_data(as_text=True)
    assert '<bdi dir="ltr">PLLA</bdi>' not in english  # left-to-right text needs no isolation


def test_a_body_paragraph_that_falls_back_brings_the_notice(project_all):
    """One translator per page: a fallback anywhere on it, body included, is counted."""
    po = project_all / "translations" / "es_419" / "LC_MESSAGES" / "messages.po"
    catalog = load_po(po)
    notice = catalog["Part of this page is not yet translated and is shown in English."].string
    text = po.read_text("utf-8")
    start = text.index('msgid "The success of filler treatments for cellulite can vary."')
    stop = text.index("\n\n", start)
    po.write_text(text[:start] + 'msgid "The success of filler treatments for cellulite can vary."\nmsgstr ""'
                  + text[stop:], "utf-8")
    html = create_app({"ROOT": project_all}).test_client().get("/es-419/").get_data(as_text=True)
    assert '<p><span lang="en">The success of filler treatments for cellulite can vary.</span></p>' in html
    assert notice in html
