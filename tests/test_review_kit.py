"""The medical review kit: the review sheet, the fingerprinted record, status, the pages' notice
and the glossary check, through the command line and the pages."""
from __future__ import annotations

import io
import re
import shutil
from itertools import groupby
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import DATA, make_project, page_text
from pocket_guide import create_app
from pocket_guide.cli import main

PO = "translations/es_419/LC_MESSAGES/messages.po"
REVIEW = "translations/es_419/review.toml"
STRINGS = "translations/es_419/review-strings.txt"
SIGN = ["review-record", "es_419", "--by", "Dr. Ana Pérez", "--role", "medical translator", "--on", "2026-11-25"]


#: The notices the review kit added: the tests start with them untranslated, as they were when new.
NEW_NOTICES = ("Checked by a medical translator on %(date)s.",
               "%(count)s passage changed since it was checked by a medical translator on %(date)s.")


def untranslate(po: Path, msgids: tuple[str, ...] = NEW_NOTICES) -> None:
    """Empty the msgstr(s) of ``msgids`` in the catalog, keeping every line number."""
    lines = po.read_text("utf-8").split("\n")
    entry_id, in_msgid, in_msgstr = "", False, False
    for i, line in enumerate(lines):
        if line.startswith("msgid "):
            entry_id, in_msgid, in_msgstr = line[len("msgid "):].strip('"'), True, False
        elif line.startswith("msgid_plural"):
            in_msgid = False
        elif line.startswith('"') and in_msgid:
            entry_id += line.strip('"')
        if line.startswith("msgstr"):
            in_msgid = False
        if entry_id in msgids and line.startswith("msgstr"):
            lines[i], in_msgstr = line.split(" ", 1)[0] + ' ""', True
        elif entry_id in msgids and in_msgstr and line.startswith('"'):
            lines[i] = '""'  # a wrapped continuation: an empty string keeps the line
        elif not line.strip():
            entry_id, in_msgid, in_msgstr = "", False, False
    po.write_text("\n".join(lines), "utf-8")


@pytest.fixture
def spanish(tmp_path) -> Path:
    project = make_project(tmp_path / "project", languages=("es_419",))
    untranslate(project / PO)
    return project


def run(project: Path, *args: str) -> int:
    return main(["--root", str(project), *args])


def status_row(out: str, code: str = "es_419") -> str:
    return next(line for line in out.splitlines() if line.startswith(code + " "))


def msgid_line(project: Path, msgid: str, po: str = PO) -> int:
    lines = (project / po).read_text("utf-8").split("\n")
    return lines.index(f'msgid "{msgid}"') + 1


def untranslated_notice(project: Path) -> str:
    with open(project / PO, "rb") as handle:
        return read_po(handle)["Part of this page is not yet translated and is shown in English."].string


def replace_msgstr(project: Path, old: str, new: str, po: str = PO) -> None:
    path = project / po
    text = path.read_text("utf-8")
    assert text.count(f'msgstr "{old}"') == 1
    path.write_text(text.replace(f'msgstr "{old}"', f'msgstr "{new}"'), "utf-8")


def sheet(project: Path, tmp_path: Path, capsys, *extra: str) -> str:
    out = tmp_path / "sheet.html"
    assert run(project, "review-sheet", "es_419", "--out", str(out), *extra) == 0, capsys.readouterr().err
    capsys.readouterr()
    return out.read_text("utf-8")


# --- the review sheet ---------------------------------------------------------------------------

def test_sheet_lists_every_string_in_page_order_side_by_side(spanish, tmp_path, capsys):
    html = sheet(spanish, tmp_path, capsys)
    with open(spanish / PO, "rb") as handle:
        catalog = read_po(handle)
    rows = re.findall(r'<td class="where">\s*<code>([^<:]+):(\d+)</code>', html)
    assert len(rows) == len([m for m in catalog if m.id])
    files = [name for name, _ in groupby(name for name, _ in rows)]
    assert files[:3] == ["content/index.md", "content/questions.md", "content/about.md"]
    assert all(name.startswith("site/") for name in files[3:]) and len(files) == len(set(files))
    index_lines = [int(line) for name, line in rows if name == "content/index.md"]
    assert index_lines == sorted(index_lines)
    # English beside the translation, which carries the language's lang and dir.
    assert re.search(r'<td>\s*<div class="text">Fillers for cellulite</div>.*?</td>\s*<td>\s*'
                     r'<div class="text" lang="es-419" dir="ltr">Rellenos para la celulitis</div>', html, re.S)
    # The header: language, PO-Revision-Date, counts, and the fingerprint the record will carry.
    revised = catalog.revision_date.strftime("%Y-%m-%d %H:%M %z")
    assert "Spanish (Latin America)" in html and revised in html
    assert f"Strings</dt><dd>{len(rows)}: {len(rows) - 2} translated, 0 fuzzy, 2 untranslated" in html
    assert html.count('<span class="box"></span>') == len(rows)
    assert all(word in html for word in ("Name", "Role", "Date", "Signature"))
    assert run(spanish, *SIGN) == 0
    fingerprint = re.search(r'fingerprint = "(sha256:[0-9a-f]{64})"', (spanish / REVIEW).read_text()).group(1)
    assert f"<code>{fingerprint}</code>" in html


def test_sheet_shows_comments_flags_and_glosses(tmp_path, capsys):
    project = make_project(tmp_path / "project", languages=("ko",))
    untranslate(project / "translations" / "ko" / "LC_MESSAGES" / "messages.po")
    out = tmp_path / "ko.html"
    assert run(project, "review-sheet", "ko", "--out", str(out)) == 0
    html = out.read_text("utf-8")
    assert '<p class="note gloss" dir="auto"># gloss: (making a small wound in the body)</p>' in html
    assert '최소 침습<mark class="gloss">(몸에 내는 상처가 작은)</mark> 시술' in html
    assert "<mark class=\"gloss\">(PLLA)</mark>" not in html  # the English has it too: not a gloss
    assert '<p class="note">Heading (level 2).</p>' in html  # the extractor's comment
    untranslated = re.findall(r'<tr class="untranslated">.*?</tr>', html, re.S)
    assert len(untranslated) == 2 and all("UNTRANSLATED" in row for row in untranslated)


def test_sheet_escapes_catalog_text_and_is_self_contained(spanish, tmp_path, capsys):
    po = spanish / PO
    text = po.read_text("utf-8").replace('msgstr "Rellenos para la celulitis"',
                                         'msgstr "Rellenos &lt;b&gt; \\"para\\" la celulitis < 2 & más"')
    po.write_text(text.replace('#. Page title.\n', '# <script>alert("comment")</script>\n#. Page title.\n', 1), "utf-8")
    html = sheet(spanish, tmp_path, capsys)
    assert "Rellenos &amp;lt;b&amp;gt; &#34;para&#34; la celulitis &lt; 2 &amp; más" in html
    assert "# &lt;script&gt;alert(&#34;comment&#34;)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "src=" not in html and "<link" not in html and "url(" not in html
    assert html.count("http") == html.count("http-equiv") == 1 and "//" not in html.replace("://", "")
    assert "@import" not in html and "<img" not in html
    # Printable on any paper: no fixed page size, rows never split, the header repeats on each page.
    assert "@page { margin: 12mm; }" in html and "thead { display: table-header-group; }" in html
    assert "tr, th, td, .signoff { break-inside: avoid; page-break-inside: avoid; }" in html


def test_sheet_of_a_catalog_that_fails_the_check_is_refused_like_check(spanish, tmp_path, capsys):
    replace_msgstr(spanish, "Rellenos para la celulitis", "<script>alert(1)</script>")
    assert run(spanish, "check") == 1
    expected = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(PO))
    assert run(spanish, "review-sheet", "es_419", "--out", str(tmp_path / "sheet.html")) == 1
    assert capsys.readouterr().err == expected + "\n"
    assert not (tmp_path / "sheet.html").exists()


def test_sheet_goes_to_the_current_folder_and_replaces_only_a_sheet(spanish, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(spanish, "review-sheet", "es_419") == 0
    out = tmp_path / "review-es_419.html"
    assert out.read_text("utf-8").startswith("<!doctype html>\n<!-- pocket-guide review sheet")
    assert run(spanish, "review-sheet", "es-419") == 0  # an earlier sheet is replaced; the slug works too
    out.write_text("my notes on the Spanish text\n")
    capsys.readouterr()
    assert run(spanish, "review-sheet", "es_419") == 1
    assert capsys.readouterr().err == f"{out}: exists and is not a review sheet - choose another --out, or move " \
                                      "that file away\n"
    assert out.read_text() == "my notes on the Spanish text\n"


def test_sheet_is_never_written_into_a_build(spanish, tmp_path, capsys):
    assert run(spanish, "build") == 0
    capsys.readouterr()
    out = spanish / "build" / "es-419" / "review.html"
    assert run(spanish, "review-sheet", "es_419", "--out", str(out)) == 1
    assert capsys.readouterr().err == (f"{out}: is inside a build of the guide, which gets published - write the "
                                       "sheet outside the build folder\n")
    assert not out.exists()
    assert not [p for p in (spanish / "build").rglob("*") if "review" in p.name]


# --- record, status and the pages ----------------------------------------------------------------

def test_sign_off_then_change_one_string(spanish, tmp_path, capsys):
    assert run(spanish, *SIGN) == 0
    assert "reviewed by Dr. Ana Pérez, medical translator on 2026-11-25" in capsys.readouterr().out
    record = (spanish / REVIEW).read_text("utf-8")
    assert 'reviewed_by = "Dr. Ana Pérez"\nrole = "medical translator"\nreviewed_on = 2026-11-25\n' in record
    assert run(spanish, "status") == 0
    assert status_row(capsys.readouterr().out).endswith("reviewed (current): Dr. Ana Pérez, medical translator, "
                                                        "2026-11-25")
    client = create_app({"ROOT": spanish}).test_client()
    text = page_text(client.get("/es-419/").get_data(as_text=True))
    assert "Checked by a medical translator on 25 de noviembre de 2026." in text
    assert untranslated_notice(spanish) in text and "has not yet been checked" not in text
    assert "Dr. Ana Pérez, medical translator" in client.get("/es-419/about/").get_data(as_text=True)

    replace_msgstr(spanish, "Rellenos para la celulitis", "Rellenos contra la celulitis")
    assert run(spanish, "status", "--changes") == 0
    out = capsys.readouterr().out
    assert "changed since review: 1 string (Dr. Ana Pérez, medical translator, 2026-11-25)" in status_row(out)
    line = msgid_line(spanish, "Fillers for cellulite")
    assert out.endswith(f"changed since the medical review:\n{PO}:{line}: Fillers for cellulite\n")
    html = create_app({"ROOT": spanish}).test_client().get("/es-419/").get_data(as_text=True)
    assert "1 passage changed since it was checked by a medical translator on 25 de noviembre de 2026." \
        in page_text(html)
    assert untranslated_notice(spanish) in html  # the new notice itself is still English
    assert re.search(r'<p class="notice"><span lang="en"><bdi dir="ltr">1</bdi> passage changed[^<]*'
                     r'<bdi dir="ltr">[^<]+</bdi>\.</span> <a href="\.\./en/" hreflang="en">', html)
    assert run(spanish, "status") == 0 and "Fillers for cellulite" not in capsys.readouterr().out
    html = sheet(spanish, tmp_path, capsys)
    assert "1 string changed since, marked CHANGED below" in html
    changed = re.findall(r'<tr class="translated changed">.*?</tr>', html, re.S)
    assert len(changed) == 1 and "Rellenos contra la celulitis" in changed[0] and "CHANGED since review" in changed[0]


def test_rewrapping_and_moved_references_keep_the_review_current(spanish, capsys):
    assert run(spanish, *SIGN) == 0
    with open(spanish / PO, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        message.locations = [(name, line + 7) for name, line in message.locations]
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=40)
    (spanish / PO).write_bytes(buffer.getvalue())
    capsys.readouterr()
    assert run(spanish, "status") == 0
    assert "reviewed (current)" in status_row(capsys.readouterr().out)


def test_a_fuzzy_string_is_not_covered_and_a_new_translation_is_a_change(spanish, capsys):
    po = spanish / PO
    text = po.read_text("utf-8")
    assert run(spanish, *SIGN) == 0
    po.write_text(text.replace('msgid "Checked by a medical translator on %(date)s."\nmsgstr ""',
                               'msgid "Checked by a medical translator on %(date)s."\n'
                               'msgstr "Revisado por un traductor médico el %(date)s."'), "utf-8")
    capsys.readouterr()
    assert run(spanish, "status", "--changes") == 0
    out = capsys.readouterr().out
    assert "changed since review: 1 string" in status_row(out)
    assert f"{PO}:{msgid_line(spanish, 'Checked by a medical translator on %(date)s.')}: Checked by" in out


def test_an_old_record_without_fingerprint_still_counts(spanish, capsys):
    (spanish / REVIEW).write_text('reviewed_by = "Dr. A, medical translator"\nreviewed_on = 2026-11-25\n')
    assert run(spanish, "status") == 0
    assert status_row(capsys.readouterr().out).endswith("reviewed (current): Dr. A, medical translator, 2026-11-25")
    html = create_app({"ROOT": spanish}).test_client().get("/es-419/").get_data(as_text=True)
    assert "Checked by a medical translator on 25 de noviembre de 2026." in page_text(html)


def test_a_record_of_another_text_is_not_refused(spanish, capsys):
    shutil.copy(DATA / "reviews" / "other-text.toml", spanish / REVIEW)
    assert run(spanish, "check") == 0
    assert run(spanish, "status") == 0
    with open(spanish / PO, "rb") as handle:
        translated = sum(1 for m in read_po(handle) if m.id and all(m.string if m.pluralizable else [m.string]))
    assert f"changed since review: {translated} strings" in status_row(capsys.readouterr().out)
    html = create_app({"ROOT": spanish}).test_client().get("/es-419/").get_data(as_text=True)
    assert f"{translated} passages changed since they were checked by a medical translator" in page_text(html)


def test_an_unreviewed_language_keeps_its_translated_notice(spanish):
    html = create_app({"ROOT": spanish}).test_client().get("/es-419/").get_data(as_text=True)
    assert re.search(r'<p class="notice">[^<]+<a href="\.\./en/" hreflang="en">', html)
    assert "Checked by a medical translator" not in html and "passage" not in html


@pytest.mark.parametrize("args, message", [
    (["--on", "2999-01-01"], "--on: 2999-01-01 is in the future - give the day the review was done"),
    (["--on", "30/11/2026"], "--on: '30/11/2026' is not a date - write it like --on 2026-11-30"),
    (["--by", " "], "--by: ' ' is empty or has control characters - give the name as text"),
    (["--fingerprint", "sha256:" + "0" * 64], f"{PO}: changed since the review sheet was made"),
])
def test_review_record_refuses_with_one_line(spanish, capsys, args, message):
    argv = SIGN + args
    assert run(spanish, *argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not (spanish / STRINGS).exists()


def test_review_record_for_an_unknown_language(spanish, capsys):
    assert run(spanish, "review-record", "xx", "--by", "A", "--role", "B") == 1
    assert capsys.readouterr().err == "translations: there is no catalog for 'xx' - use one of: es_419\n"


# --- bad records: check and the build refuse them with the same line -------------------------------

RECORD_CASES = {
    "bad-fingerprint.toml": f"{REVIEW}:4: fingerprint must be \"sha256:\" and 64 hex digits, got 'sha256:12ab' - "
                            "run python -m pocket_guide review-record again, or delete the line",
    "future-signed.toml": f"{REVIEW}:3: reviewed_on 2999-01-01 is in the future - give the day the review was done",
    "fingerprint-alone.toml": f"{REVIEW}:2: a fingerprint without reviewed_by and reviewed_on - run python -m "
                              "pocket_guide review-record again",
}
STRINGS_CASES = {
    "strings-other-review.txt": f"{STRINGS}:2: written for sha256:{'b' * 64}, but review.toml has sha256:{'a' * 64} "
                                "- run python -m pocket_guide review-record again",
    "strings-bad-line.txt": f"{STRINGS}:3: '0148deeba2ee1277 56733b38760cb652' is not two hashes separated by a tab "
                            "- run python -m pocket_guide review-record again",
}


def assert_refused_by_check_and_build(project: Path, capsys, message: str) -> None:
    for command in ("check", "build"):
        assert run(project, command) == 1
        assert capsys.readouterr().err == message + "\n", command
    assert not (project / "build").exists()


@pytest.mark.parametrize("name", sorted(RECORD_CASES))
def test_bad_record_refused(spanish, capsys, name):
    shutil.copy(DATA / "reviews" / name, spanish / REVIEW)
    assert_refused_by_check_and_build(spanish, capsys, RECORD_CASES[name])


@pytest.mark.parametrize("name", sorted(STRINGS_CASES))
def test_bad_strings_file_refused(spanish, capsys, name):
    shutil.copy(DATA / "reviews" / "other-text.toml", spanish / REVIEW)
    shutil.copy(DATA / "reviews" / name, spanish / STRINGS)
    assert_refused_by_check_and_build(spanish, capsys, STRINGS_CASES[name])


# --- glossary -----------------------------------------------------------------------------------

def test_glossary_warns_with_the_po_line_and_keeps_the_exit_code(tmp_path, capsys):
    project = make_project(tmp_path / "project", languages=("ko",))
    (project / "translations" / "ko" / "glossary.csv").write_text(
        "source,target,translator_comments\n"
        "filler,필러,loanword\n"
        "bruising,타박상,deliberately not the catalog's word\n"
        "swelling,부기가,\"with its particle; stem: 부기\"\n", "utf-8")
    assert run(project, "check") == 0
    out = capsys.readouterr().out
    po = "translations/ko/LC_MESSAGES/messages.po"
    line = msgid_line(project, "Common side effects include bruising, swelling, and redness.", po)
    warning = (f'{po}:{line}: warning: "bruising" should be translated as "타박상" (glossary.csv:3) - use the '
               "approved term, or update the glossary")
    assert warning in out.splitlines()
    assert '"filler"' not in out and '"swelling"' not in out  # "Fillers ..." has 필러; 부기 has the stem
    assert "ko: ok, " in out


GLOSSARY_CASES = {
    "glossary-header.csv": "translations/es_419/glossary.csv:1: the header is 'term,translation', not source,target "
                           "- start the file with the line source,target,translator_comments (the columns Weblate "
                           "imports)",
    "glossary-columns.csv": 'translations/es_419/glossary.csv:2: 4 columns, but the header has 3 - quote a term '
                            'that contains a comma, like "a, b"',
    "glossary-empty-target.csv": "translations/es_419/glossary.csv:3: the target term is empty - fill in both "
                                 "terms or delete the line",
    "glossary-duplicate.csv": "translations/es_419/glossary.csv:4: 'Filler' is already in the glossary on line 2 "
                              "- keep one line per term",
    "glossary-quote.csv": "translations/es_419/glossary.csv:2: not valid CSV: unexpected end of data - check the "
                          "quotes on that line",
}


@pytest.mark.parametrize("name", sorted(GLOSSARY_CASES))
def test_malformed_glossary_is_an_error(spanish, capsys, name):
    shutil.copy(DATA / "reviews" / name, spanish / "translations" / "es_419" / "glossary.csv")
    assert run(spanish, "check") == 1
    assert GLOSSARY_CASES[name] in capsys.readouterr().out.splitlines()
    assert run(spanish, "build") == 1
    assert capsys.readouterr().err == GLOSSARY_CASES[name] + "\n"
