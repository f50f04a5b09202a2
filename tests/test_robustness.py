"""Arbitrary Markdown and catalogs: the parser, extractor and catalog checks
either succeed or raise the project's own error with a location."""
from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pocket_guide.content import MD, parse_page
from pocket_guide.files import invisible
from pocket_guide.errors import GuideError
from pocket_guide.catalogs import check_catalog, check_message
from pocket_guide.extract import extract_markdown

LOCATED = re.compile(r"^\S+:\d+: .+ - .+$", re.S)
FRONT = "---\ntitle: T\nslug: t\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n---\n"
MARKDOWN_BITS = st.sampled_from(["#", "## ", "{#", "}", "- ", "1. ", "::: ", ":::", "checklist", "toc",
                                 "sidebar", "[", "](", ")", ".md", "#x", "**", "*", "`", "<b>", "\n", "\n\n",
                                 "---", ":", "title", "slug", "order: ", "2026-13-40", "\r\n", "\ufeff", "é",
                                 "العربية", "中文", " ", "\u202e", "\u2066", "\u200f", "::: key-points\" onclick=x",
                                 "::: checklist extra", "![x](data:image/png;base64,AA)", "[a](ftp://x)",
                                 "[a](javascript:x)", "<meta http-equiv=refresh>"])
markdown = st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=8)), max_size=40).map("".join)


def assert_located(error: GuideError) -> None:
    assert LOCATED.match(str(error)), str(error)
    assert error.lineno >= 1


@settings(max_examples=300, deadline=None)
@given(body=markdown, with_front=st.booleans())
def test_content_parser_succeeds_or_raises_a_located_error(body, with_front):
    text = (FRONT + body) if with_front else body
    try:
        page = parse_page(text, "content/x.md")
    except GuideError as error:
        assert_located(error)
    else:
        assert all(block.lineno >= 1 and block.msgid == " ".join(block.msgid.split()) for block in page.blocks)
        html = MD.renderer.render(list(page.tokens), MD.options, {})
        # No element or attribute from the page (escaped text is fine); link schemes are load_site's job.
        assert not re.search(r"<(?:meta|img|script)\b|<[^>]*\sonclick=|href=\"(?:javascript|data):", html), html
        assert not any(invisible(block.msgid) for block in page.blocks)


@settings(max_examples=200, deadline=None)
@given(body=markdown)
def test_extractor_succeeds_or_raises_a_located_error(body):
    try:
        found = list(extract_markdown(io.BytesIO((FRONT + body).encode("utf-8", "surrogatepass")), [], [], {}))
    except GuideError as error:
        assert_located(error)
    except UnicodeEncodeError:
        pass  # lone surrogates cannot be a file's bytes
    else:
        assert all(isinstance(msgid, str) and line >= 1 for line, _, msgid, _ in found)


PO_BITS = st.sampled_from(['msgid ""\n', 'msgstr ""\n', '"Language: es\\n"\n', '"Plural-Forms: nplurals=2; '
                           'plural=(n != 1);\\n"\n', 'msgid "Guide"\n', 'msgstr "Guía"\n', '#, fuzzy\n',
                           'msgid_plural "Guides"\n', 'msgstr[0] "a"\n', 'msgstr[1] "b"\n', 'msgstr[2] "c"\n',
                           'msgstr "<script>"\n', 'msgstr "[x](javascript:y)"\n', '"\n', '\n', '# c\n',
                           'msgctxt "k"\n', 'msgstr "%(date)s"\n', 'msgid "%(date)s"\n', '#~ msgid "old"\n',
                           'msgstr "%(date)20000s"\n', 'msgstr "%(date)-5r"\n', 'msgstr "\u202e"\n',
                           'msgstr "![](data:image/png;base64,AA)"\n', 'msgstr "![x](https://e.example/x.png)"\n',
                           '"Plural-Forms: nplurals=2; plural=(n != 1;\\n"\n'])
catalog_text = st.lists(st.one_of(PO_BITS, st.text(max_size=6)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=catalog_text, raw=st.binary(max_size=40), use_raw=st.booleans())
def test_catalog_check_reports_located_errors_only(tmp_path, text, raw, use_raw):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(raw if use_raw else text.encode("utf-8", "surrogatepass"))
    report = check_catalog(po, "es", tmp_path)
    for error in report.errors:
        assert_located(error)
    if report.catalog is None:
        assert report.errors and not report.messages  # unreadable: an error, and nothing to render
    # Only what passed every check is rendered: each usable message is safe by the same check.
    for msgid, translated in report.messages.items():
        forms = translated if isinstance(translated, tuple) else (translated,)
        assert all(form and check_message(msgid, form) is None for form in forms[:1])
    assert len(report.messages) == report.translated
