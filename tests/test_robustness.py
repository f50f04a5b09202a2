"""Arbitrary Markdown and catalogs: the parser, extractor and catalog checks
either succeed or raise the project's own error with a location."""
from __future__ import annotations

import io
import json
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



ANY = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.lists(st.text(max_size=4), max_size=2))
DAY = st.sampled_from(["09:00-17:00", "closed", "8:00 - 9:30", "08:00-12:00,13:00-17:00", "09:00-17:00", "9 to 5",
                       "25:00-26:00", "12:00-09:00", "08:00-12:00, 11:00-14:00", 9, True])
LANGUAGE = st.one_of(st.sampled_from(["es", "zh_Hans", "pt-BR", "en", "zz", "English"]), ANY)
VALUES = {"clinic_name": st.one_of(st.just("Example Skin Clinic"), ANY),
          "logo": st.sampled_from(["logo.svg", "logo.png", "logo.svg", "../x.svg", "/etc/passwd", "", "no.svg", 3]),
          "icon": st.one_of(st.sampled_from(["guide", "logo"]), ANY),
          "opening_hours": st.sampled_from(["Monday to Friday, 9 to 5", 9]), "opening_hours_lang": LANGUAGE,
          "brand_colour": st.one_of(st.sampled_from(["#777777", "teal"]), ANY),
          "default_language": LANGUAGE, "logo_alt": ANY, "languages": st.lists(LANGUAGE, max_size=2),
          "site_url": st.one_of(st.just("https://x.example/g/"), ANY)}
TABLES = {"opening_hours": (["monday", "tuesday", "sunday", "mon", "closed_on_public_holidays", "brand_colour"], DAY),
          "opening_hours_text": (["es", "zh_Hans", "pt-BR", "spanish", "logo"], ANY),
          "logo_alt": (["en", "es", "xx", "icon"], ANY)}


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def site_toml(draw) -> str:
    """Mostly well-formed TOML, with the keys of site.toml, good and bad values, tables where they may be."""
    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), unique=True, max_size=6))
    tables = [t for t in draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=2)) if t not in keys]
    lines = [f"{key} = {toml_value(draw(VALUES[key]))}" for key in keys]
    for table in tables:
        names, values = TABLES[table]
        lines.append(f"[{table}]")
        chosen = draw(st.lists(st.sampled_from(names), unique=True))
        lines += [f'"{key}" = {toml_value(draw(values))}' for key in chosen]
    return "\n".join(lines) + "\n"


SVG_BITS = st.sampled_from(['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">', "</svg>", "<rect/>",
                            '<rect width="9" height="4" fill="url(#a)"/>', "<text>x</text>", "<script>", "onload=",
                            ' href="#a"', ' href="http://x"', "<!DOCTYPE svg [", "<!ENTITY a 'b'>", "]>",
                            "<foreignObject>", "url(http://x)", "@import", 'width="0"', 'viewBox="0 0 0 0"',
                            'viewBox="0 0 1e-9 5"', "&a;", "<", ">", "\n"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(toml=st.one_of(site_toml(), st.text(max_size=40)),
       svg=st.tuples(st.sampled_from(['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">', ""]),
                     st.lists(st.one_of(SVG_BITS, st.text(max_size=6)), max_size=8).map("".join),
                     st.sampled_from(["</svg>", ""])).map("".join),
       png=st.binary(max_size=60))
def test_site_toml_and_logo_load_or_raise_a_located_error(tmp_path, toml, svg, png):
    """Whatever site.toml and logo a clinic writes: a config (and icons), or one located line; never a crash."""
    from pocket_guide.config import load_config
    from pocket_guide.icons import logo_icons

    (tmp_path / "site.toml").write_text(toml, "utf-8")
    (tmp_path / "logo.svg").write_text(svg, "utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + png)
    try:
        config = load_config(tmp_path / "site.toml", tmp_path)
        if config.logo is not None and config.logo.kind == "svg":
            logo_icons(config.logo)
    except GuideError as error:
        assert_located(error)
