"""Every bad content, config and catalog file: one exact located message,
exit status 1, no traceback, and the previous build left as it was."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import DATA
from pocket_guide.cli import main

CONTENT_CASES = {
    "no-front-matter.md": 'content/no-front-matter.md:1: no front matter - start the file with a line "---", '
                          'then "key: value" lines, then "---"',
    "unclosed-front-matter.md": 'content/unclosed-front-matter.md:7: front matter is not closed - end the front '
                                'matter with a line "---" before the page text',
    "malformed-line.md": "content/malformed-line.md:3: front matter line is not 'key: value': 'slug extra' - "
                         'write it as "key: value", for example "order: 2"',
    "unknown-key.md": "content/unknown-key.md:7: unknown front matter key 'author' - use one of: title, menu, "
                      "slug, order, description, last_reviewed, next_review_due",
    "missing-field.md": "content/missing-field.md:6: front matter has no 'order' - add a line \"order: ...\" "
                        'before this "---"',
    "wrong-type.md": "content/wrong-type.md:4: order must be a whole number, got 'first' - write it like "
                     '"order: 2"',
    "bad-date.md": "content/bad-date.md:5: last_reviewed must be a date YYYY-MM-DD, got '24/11/2026' - write "
                   'it like "last_reviewed: 2026-11-24"',
    "review-before-last.md": "content/review-before-last.md:6: next_review_due is not after last_reviewed - "
                             "set the next review to a date after the last review",
    "duplicate-slug.md": "content/questions.md:4: slug 'questions' is already used by "
                         "content/duplicate-slug.md - give each page its own slug",
    "reserved-slug.md": "content/reserved-slug.md:3: slug 'offline' is reserved by the guide - choose another slug",
    "broken-link.md": "content/broken-link.md:9: broken link 'nowhere.md': no such page - link to one of: "
                      "index.md, questions.md, about.md, broken-link.md",
    "broken-anchor.md": "content/broken-anchor.md:9: broken link 'index.md#dangers': no heading with anchor "
                        "'dangers' - use one of: key-points, types, collagen, hyaluronic-acid, plla, caha, "
                        "considerations, effectiveness, procedure, recovery, risks, dermatologist, expertise, "
                        "plan, alternatives, final-thoughts",
    "duplicate-anchor.md": "content/duplicate-anchor.md:11: heading anchor 'risks' is used twice - give one of "
                           "the headings its own {#anchor}",
    "directive-argument.md": "content/directive-argument.md:9: unknown directive 'key-points\"' - use one of: "
                             "key-points, checklist, toc, contact-clinic, review-dates, translation-credits, "
                             "install-help, save-offline",
    "directive-class.md": "content/directive-class.md:9: directive 'checklist' takes no arguments, got "
                          "'extra-class' - write the line as \"::: checklist\" alone",
    "bidi.md": "content/bidi.md:9: invisible control character U+2067 RIGHT-TO-LEFT ISOLATE can reorder or hide "
               "text - delete it (the guide isolates numbers and Latin words itself)",
    "other-scheme.md": "content/other-scheme.md:9: link 'ftp://files.example/guide.zip' uses ftp: - link to a page "
                       "of the guide (name.md) or to an http(s), mailto or tel address",
    "image.md": "content/image.md:9: image 'data:image/png;base64,AA' is not allowed: the guide is text only - "
                "remove the image, or describe it in words",
    "unknown-directive.md": "content/unknown-directive.md:9: unknown directive 'sidebar' - use one of: "
                            "key-points, checklist, toc, contact-clinic, review-dates, translation-credits, "
                            "install-help, save-offline",
}

PICTURE_ONLY = "export the logo again as a plain SVG (or PNG): a logo is a picture only"
CONFIG_CASES = {
    "unknown-key.toml": "site.toml:2: unknown key 'clinic_colour' - use one of: address, brand_colour, "
                        "clinic_name, default_language, icon, languages, logo, logo_alt, opening_hours, "
                        "opening_hours_lang, opening_hours_text, phone, site_url, website",
    "wrong-type.toml": 'site.toml:2: phone must be text, got a number - put the value in quotes: '
                       'phone = "442079460000"',
    "bad-url.toml": "site.toml:1: site_url is not an absolute http(s) URL: 'clinic.example/guide' - write it "
                    'like site_url = "https://clinic.example/guide/"',
    "bad-website.toml": "site.toml:1: website is not an absolute http(s) URL: 'www.clinic.example' - write it "
                        'like website = "https://clinic.example/"',
    "bad-colour.toml": "site.toml:1: brand_colour is not a #rrggbb colour: 'teal' - write it like "
                       'brand_colour = "#0b6e69"',
    "bad-phone.toml": "site.toml:1: phone has characters a phone number cannot have: 'call us!' - use digits, "
                      'spaces and an optional leading +, like phone = "+44 20 7946 0000"',
    "invalid-toml.toml": "site.toml:1: not valid TOML: Illegal character '\\n' - write each setting as "
                         'key = "value", with both quotes',
    "unknown-language.toml": "site.toml:1: language 'xx' has no catalog - use one of: en",
    "bidi.toml": "site.toml:2: invisible control character U+202E RIGHT-TO-LEFT OVERRIDE can reorder or hide "
                 "text - delete it (the guide isolates numbers and Latin words itself)",
    "url-query.toml": "site.toml:1: site_url has a query (?...): 'https://clinic.example/guide/?utm=1' - write it "
                      'like site_url = "https://clinic.example/guide/"',
    "url-fragment.toml": "site.toml:1: site_url has a fragment (#...): 'https://clinic.example/guide/#top' - write "
                         'it like site_url = "https://clinic.example/guide/"',
    "url-space.toml": "site.toml:1: site_url has spaces or control characters: 'https://clinic.example/my guide/' - "
                      'write it like site_url = "https://clinic.example/guide/"',
    "phone-no-digits.toml": "site.toml:2: phone has no digits: '( - )' - use digits, spaces and an optional "
                            'leading +, like phone = "+44 20 7946 0000"',
    "languages-not-list.toml": 'site.toml:1: languages must be a list of language codes, got text - write it '
                               'like languages = ["en", "es"]',
    "hours-not-a-range.toml": "site.toml:4: opening_hours.monday is not a time range: '9 to 5' - write it like "
                              'monday = "09:00-17:00", "08:00-12:30, 14:00-18:00" or "closed"',
    "hours-closes-before-opens.toml": "site.toml:3: opening_hours.tuesday closes before it opens: '17:00-09:00' - "
                                      'write it like tuesday = "09:00-17:00", "08:00-12:30, 14:00-18:00" or "closed"',
    "hours-day-not-text.toml": "site.toml:1: opening_hours.monday must be text, got a number - write it like "
                               'monday = "09:00-17:00", "08:00-12:30, 14:00-18:00" or "closed"',
    "hours-unknown-day.toml": "site.toml:2: opening_hours has no day 'mon' - use one of: monday, tuesday, wednesday, "
                              "thursday, friday, saturday, sunday, closed_on_public_holidays",
    "hours-holidays-not-bool.toml": "site.toml:3: opening_hours.closed_on_public_holidays must be true or false, got "
                                    "text - write it like closed_on_public_holidays = true, without quotes",
    "hours-never-open.toml": "site.toml:1: opening_hours has no open day - give the hours of each day the clinic is "
                             'open, like monday = "09:00-17:00"',
    "hours-wrong-type.toml": "site.toml:1: opening_hours must be a table of days or text, got a number - write a "
                             'line [opening_hours], then one line a day, like monday = "09:00-17:00"',
    "hours-lang-unknown.toml": "site.toml:2: opening_hours_lang is not a language code: 'Italian' - write the code "
                               'of the language the hours are written in, like opening_hours_lang = "en"',
    "hours-lang-with-days.toml": "site.toml:1: opening_hours_lang is for opening hours written as text - remove it: "
                                 "hours given as days are written in each page's language",
    "hours-text-not-a-language.toml": "site.toml:5: opening_hours_text has a key that is not a language code: "
                                      "'spanish' - write it like es = \"Lunes a viernes, de 9:00 a 17:00\"",
    "logo-missing.toml": "site.toml:2: logo file not found: 'logos/missing.svg' - put the file in the project and "
                         'write its path like logo = "clinic-logo.svg"',
    "logo-outside.toml": "site.toml:2: logo must be a file inside the project folder: '../clinic.svg' - copy it into "
                         'the project and write its path like logo = "clinic-logo.svg"',
    "logo-not-image.toml": "site.toml:2: logo is not a PNG or SVG image: 'logos/not-image.svg' - save it as PNG or "
                           "SVG",
    "logo-damaged.toml": "site.toml:2: logo is a damaged PNG file: 'logos/damaged.png' - save it again as PNG",
    "logo-small.toml": "site.toml:2: logo is 32 x 32 pixels, less than 64 a side: 'logos/small.png' - save it at 64 "
                       "to 2000 pixels a side (or as SVG)",
    "logo-wide.toml": "site.toml:2: logo is 2400 x 80 pixels, more than 2000 a side: 'logos/wide.png' - save it at "
                      "64 to 2000 pixels a side (or as SVG)",
    "logo-no-size.toml": "logos/no-size.svg:1: logo has no size (viewBox, or width and height) - add a viewBox to "
                         'the <svg> element, like viewBox="0 0 400 120"',
    "logo-script.toml": f"logos/script.svg:3: logo has a script (<script>) - {PICTURE_ONLY}",
    "logo-onload.toml": f"logos/onload.svg:2: logo has an event handler attribute (onload=) - {PICTURE_ONLY}",
    "logo-foreign.toml": f"logos/foreign.svg:3: logo has HTML inside the picture (<foreignObject>) - {PICTURE_ONLY}",
    "logo-external.toml": f"logos/external.svg:3: logo has a reference to another file or address (href) - "
                          f"{PICTURE_ONLY}",
    "logo-css-url.toml": f"logos/css-url.svg:2: logo has a reference to another file or address (url(...)) - "
                         f"{PICTURE_ONLY}",
    "logo-entity.toml": f"logos/entity.svg:2: logo has an entity declaration (<!ENTITY) - {PICTURE_ONLY}",
    "logo-no-alt.toml": "site.toml:1: logo has no text for people who cannot see it - add what the logo says, like "
                        'logo_alt = "Example Skin Clinic"',
    "logo-alt-no-default-language.toml": "site.toml:1: logo has no text for people who cannot see it - add what "
                                         'the logo says, like logo_alt = "Example Skin Clinic"',
    "logo-alt-wrong-type.toml": "site.toml:3: logo_alt must be text or a table of languages, got a number - write it "
                                'like logo_alt = "Example Skin Clinic"',
    "logo-alt-not-a-language.toml": "site.toml:5: logo_alt has a key that is not a language code: 'Spanish' - write "
                                    'it like es = "Logotipo de la Clínica Ejemplo"',
    "icon-unknown.toml": 'site.toml:3: icon must be "guide" or "logo", got \'clinic\' - write it like icon = "logo"',
    "icon-without-logo.toml": 'site.toml:2: icon = "logo" needs a logo - add logo = "clinic-logo.svg", or write '
                              'icon = "guide"',
    "icon-logo-with-text.toml": "logos/text.svg:3: logo has text (<text>), which home-screen icons cannot draw alike "
                                'on every phone - convert the text to paths in your drawing program, or write '
                                'icon = "guide"',
    "hours-table-not-last.toml": "site.toml:4: brand_colour is inside the [opening_hours] table - move the "
                                 "[opening_hours] table and its lines to the end of the file",
    "hours-text-not-a-table.toml": "site.toml:1: opening_hours_text must be a table of languages, got text - write "
                                   "a line [opening_hours_text], then one line a language, like "
                                   'es = "Lunes a viernes, de 9:00 a 17:00"',
}

PO = "translations/es/LC_MESSAGES/messages.po"
CATALOG_CASES = {
    "syntax-error.po": f"{PO}:11: syntax error in 'msgstr \"Guía' - each line must be a comment, a keyword with "
                       'a "quoted string", or a "quoted string"; check for a missing quote',
    "placeholder-mismatch.po": f"{PO}:10: placeholders differ: the original has ['%(date)s'], the translation "
                               "has ['%(fecha)s'] - copy them unchanged",
    "html.po": f"{PO}:10: translation contains HTML ('<b') - translations are plain text with Markdown, "
               "remove the tag",
    "script.po": f"{PO}:10: translation contains HTML ('<script') - translations are plain text with "
                 "Markdown, remove the tag",
    "javascript-link.po": f"{PO}:10: translation contains a script link (javascript:) - remove it, links must "
                          "match the original",
    "link-changed.po": f"{PO}:10: Markdown links differ: the original has ['questions.md'], the translation has "
                       "['https://evil.example/'] - keep them as in the original",
    "wrong-plural.po": f"{PO}:10: 1 plural forms, but Plural-Forms says 2 - give exactly 2 msgstr[N] lines",
    "missing-language.po": f'{PO}:2: the header has no "Language" - add the line "Language: es\\n" to the '
                           'header entry (msgid "")',
    "language-mismatch.po": f'{PO}:3: "Language: fr" does not match the folder \'es\' - set "Language: es\\n" '
                            "or move the file to translations/fr/",
    "placeholder-width.po": f"{PO}:10: placeholders differ: the original has ['%(date)s'], the translation has "
                            "['%(date)20000s'] - copy them unchanged",
    "placeholder-conversion.po": f"{PO}:10: placeholders differ: the original has ['%(date)s'], the translation "
                                 "has ['%(date)r'] - copy them unchanged",
    "image.po": f"{PO}:10: images differ: the original has [], the translation has "
                "['data:image/png;base64,iVBORw0KGgo='] - keep them as in the original",
    "remote-image.po": f"{PO}:10: images differ: the original has [], the translation has "
                       "['https://evil.example/x.png'] - keep them as in the original",
    "bidi.po": f"{PO}:11: invisible control character U+202E RIGHT-TO-LEFT OVERRIDE can reorder or hide text - "
               "delete it (the guide isolates numbers and Latin words itself)",
    "long.po": f"{PO}:10: translation is 2700 characters for an original of 21, likely a mistake - translate only "
               "this string",
    "bad-plural-forms.po": f"{PO}:4: Plural-Forms is not valid: 'nplurals=2; plural=(n != 1;' - copy the "
                           'Plural-Forms line for the language from Poedit or "pybabel init"',
    "invalid-utf8.po": f"{PO}:11: the file is not valid UTF-8 - save it as UTF-8 (Poedit and Weblate do this "
                       "by default)",
}


def snapshot(tree: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(tree).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(tree.rglob("*")) if p.is_file()}


def build_then_break(project: Path, break_it, capsys) -> tuple[int, str, dict, dict]:
    assert main(["--root", str(project), "build"]) == 0
    before = snapshot(project / "build")
    capsys.readouterr()
    break_it()
    status = main(["--root", str(project), "build"])
    err = capsys.readouterr().err
    return status, err, before, snapshot(project / "build")


def assert_refused(status, err, before, after, message):
    assert status == 1
    assert err == message + "\n"
    assert "Traceback" not in err
    assert after == before, "a failed build must leave the previous build untouched"


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_bad_content_file(project, capsys, name):
    result = build_then_break(project, lambda: shutil.copy(DATA / "content" / name, project / "content" / name),
                              capsys)
    assert_refused(*result, CONTENT_CASES[name])


def install_config(project: Path, name: str) -> None:
    """``name`` as the site.toml, the logos its cases name beside it (and one outside the project)."""
    shutil.copy(DATA / "config" / name, project / "site.toml")
    shutil.copytree(DATA / "config" / "logos", project / "logos", dirs_exist_ok=True)
    shutil.copy(DATA / "config" / "logos" / "clinic.svg", project.parent / "clinic.svg")


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_bad_config_file(project, capsys, name):
    result = build_then_break(project, lambda: install_config(project, name), capsys)
    assert_refused(*result, CONFIG_CASES[name])


def test_a_logo_over_200_kb_is_refused(project, capsys):
    """Made here, not stored: a quarter of a megabyte of padding has no place in the repository."""
    def big_logo():
        svg = (DATA / "config" / "logos" / "clinic.svg").read_text()
        (project / "logo.svg").write_text(svg.replace("</svg>", "<!--" + "x" * 210_000 + "-->\n</svg>"))
        (project / "site.toml").write_text('clinic_name = "Example Skin Clinic"\nlogo = "logo.svg"\n')
    result = build_then_break(project, big_logo, capsys)
    assert_refused(*result, "site.toml:2: logo is 205 KB, more than 200 KB: 'logo.svg' - save it smaller (an SVG, "
                            "or a PNG of at most 2000 pixels a side)")


def install_catalog(project: Path, name: str) -> None:
    folder = project / "translations" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "catalogs" / name, folder / "messages.po")


@pytest.mark.parametrize("name", sorted(CATALOG_CASES))
def test_bad_catalog_refused_by_build(project, capsys, name):
    result = build_then_break(project, lambda: install_catalog(project, name), capsys)
    assert_refused(*result, CATALOG_CASES[name])


@pytest.mark.parametrize("name", sorted(CATALOG_CASES))
def test_bad_catalog_reported_by_check(project, capsys, name):
    install_catalog(project, name)
    assert main(["--root", str(project), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == CATALOG_CASES[name]
    assert out[-1].startswith("es: error")


def test_bad_site_url_option(project, capsys):
    assert main(["--root", str(project), "build", "--site-url", "clinic/guide"]) == 1
    assert capsys.readouterr().err == ("--site-url:1: is not an absolute http(s) URL: 'clinic/guide' - pass it like "
                                       '--site-url "https://clinic.example/guide/"\n')


def test_unreadable_build_leaves_no_staging_folders(project, capsys):
    shutil.copy(DATA / "content" / "broken-link.md", project / "content")
    assert main(["--root", str(project), "build"]) == 1
    assert not list(project.glob(".build.*")), "staging folders are cleaned up"
    assert not (project / "build").exists()


def test_preview_shows_a_catalog_error_then_recovers_on_the_next_save(project):
    """``python -m pocket_guide preview``: a broken catalog is shown in the browser, and fixing it reloads."""
    install_catalog(project, "crlf.po")
    po = project / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    good = po.read_bytes()
    shutil.copy(DATA / "catalogs" / "script.po", po)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    preview = subprocess.Popen([sys.executable, "-m", "pocket_guide", "--root", str(project), "preview",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, body = fetch_when_up(f"http://127.0.0.1:{port}/es/about/")
        assert status == 500 and CATALOG_CASES["script.po"] in body
        po.write_bytes(good)  # the translator saves the fix; the reloader restarts the preview
        deadline = time.monotonic() + 90  # the reloader restarts the whole app; slow on a busy machine
        while time.monotonic() < deadline:
            status, body = fetch_when_up(f"http://127.0.0.1:{port}/es/about/")
            if status == 200:
                break
            time.sleep(0.3)
        assert status == 200 and "Guía de bolsillo" in body
    finally:
        preview.terminate()
        preview.wait(10)


def fetch_when_up(url: str, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


REVIEW = "translations/es/review.toml"
REVIEW_CASES = {
    "datetime.toml": f"{REVIEW}:2: reviewed_on must be a date, got datetime.datetime(2026, 1, 5, 10, 0) - write "
                     "it like reviewed_on = 2026-12-01",
    "future.toml": f"{REVIEW}:2: reviewed_on 2999-01-01 is in the future - give the day the review was done",
    "unknown-key.toml": f"{REVIEW}:4: unknown key 'reviewed' - use reviewed_by, role, reviewed_on and fingerprint",
    "not-utf8.toml": f"{REVIEW}:1: the file is not valid UTF-8 - save it as UTF-8",
    "invalid.toml": f"{REVIEW}:1: not valid TOML: Invalid value - write it as reviewed_by = \"Name, role\" and "
                    "reviewed_on = 2026-12-01",
}


@pytest.mark.parametrize("name", sorted(REVIEW_CASES))
def test_bad_review_record_refused_by_build_and_check(project, capsys, name):
    install_catalog(project, "crlf.po")
    result = build_then_break(project, lambda: shutil.copy(DATA / "reviews" / name,
                                                           project / "translations" / "es" / "review.toml"), capsys)
    assert_refused(*result, REVIEW_CASES[name])
    assert main(["--root", str(project), "check"]) == 1
    assert capsys.readouterr().err == REVIEW_CASES[name] + "\n"


@pytest.mark.parametrize("where", ["content/linked.md", "translations/es/LC_MESSAGES/messages.po", "site.toml",
                                   "translations/es/review.toml"])
def test_a_link_to_a_file_outside_the_project_is_refused_by_name(project, tmp_path, capsys, where):
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntitle: SECRET-CONTENT\n---\nSECRET-CONTENT\n")
    install_catalog(project, "crlf.po")
    link = project / where
    result = build_then_break(project, lambda: (link.unlink(missing_ok=True), link.symlink_to(secret)), capsys)
    assert_refused(*result, f"{where}: is a link to a file outside the project - copy the file into the project "
                            "instead of linking to it")
    assert "SECRET" not in result[1]


@pytest.mark.parametrize("first, second", [("zh_Hans", "zh_hans"), ("PT", "pt"), ("en", None)])
def test_two_catalogs_for_one_language_are_refused(project, capsys, first, second):
    for code in filter(None, (first, second)):
        folder = project / "translations" / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        text = (DATA / "catalogs" / "crlf.po").read_text("utf-8").replace("Language: es", f"Language: {code}")
        (folder / "messages.po").write_text(text, "utf-8")
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    if second is None:
        assert err == (f"translations/{first}/LC_MESSAGES/messages.po:1: this catalog is for English, the language "
                       "the guide is written in - keep one catalog per language and delete or merge the other\n")
    else:
        assert err == (f"translations/{second}/LC_MESSAGES/messages.po:1: this catalog is for the same language as "
                       f"translations/{first}/LC_MESSAGES/messages.po - keep one catalog per language and delete or "
                       "merge the other\n")
    assert main(["--root", str(project), "check"]) == 1
    assert capsys.readouterr().err == err
