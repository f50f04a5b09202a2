"""Every bad content, config and catalog file: one exact located message,
exit status 1, no traceback, and the previous build left as it was."""
from __future__ import annotations

import shutil
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
    "unknown-directive.md": "content/unknown-directive.md:9: unknown directive 'sidebar' - use one of: "
                            "key-points, checklist, toc, contact-clinic, review-dates, translation-credits, "
                            "install-help, save-offline",
}

CONFIG_CASES = {
    "unknown-key.toml": "site.toml:2: unknown key 'clinic_colour' - use one of: address, brand_colour, "
                        "clinic_name, default_language, languages, opening_hours, phone, site_url, website",
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
    "languages-not-list.toml": 'site.toml:1: languages must be a list of language codes, got text - write it '
                               'like languages = ["en", "es"]',
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


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_bad_config_file(project, capsys, name):
    result = build_then_break(project, lambda: shutil.copy(DATA / "config" / name, project / "site.toml"), capsys)
    assert_refused(*result, CONFIG_CASES[name])


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


def test_preview_shows_a_catalog_error_instead_of_stopping():
    from pocket_guide.cli import error_app

    message = CATALOG_CASES["script.po"]
    response = error_app(message).test_client().get("/es/about/")
    assert response.status_code == 500 and response.mimetype == "text/plain"
    assert message in response.get_data(as_text=True)
