"""The review sheet: one self-contained HTML file a medical reviewer prints, ticks and signs.

Every string of a catalog in page order (by its ``#:`` references: the
content pages in the site's order, then templates and code), the English
beside the translation, comments shown, glosses highlighted, fuzzy,
untranslated and changed rows flagged, and the fingerprint the sheet covers,
which ``review-record --fingerprint`` checks against the catalog. Inline CSS,
no scripts, no requests. Never part of the public site: the build does not
render it, and ``write`` refuses to write into a build or to replace a file
that is not an earlier sheet.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from .catalogs import CatalogReport
from .content import Site
from .errors import GuideError
from .languages import Language
from .output import cannot_write, is_build
from .reviews import fingerprint, forms, reviewed_messages

MARKER = "<!-- pocket-guide review sheet: for a medical reviewer, not part of the public site -->"
#: A bracketed phrase, which is how a translation explains a term (a gloss).
BRACKETS_RE = re.compile(r"\([^()]*\)|（[^（）]*）")
#: A comment line starting with "word:" (``gloss: ...``) starts a note; other lines continue the last one.
NOTE_START_RE = re.compile(r"[\w-]+:")

Parts = tuple[tuple[str, bool], ...]  # text, highlighted


@dataclass(frozen=True)
class Row:
    references: tuple[str, ...]
    po_line: int
    english: tuple[str, ...]
    translation: tuple[Parts, ...]  # one per plural form
    extracted: tuple[str, ...]      # "#." comments, for the English
    comments: Parts                 # "#" comments; a gloss note highlighted
    state: str                      # "translated", "fuzzy" or "untranslated"
    changed: bool


@dataclass(frozen=True)
class Sheet:
    html: str
    rows: int
    fingerprint: str


def page_order(pages: list[str]):
    """A sort key for messages: by their first reference in page order, then other files by name."""
    rank = {path: index for index, path in enumerate(pages)}

    def key(message: Message) -> tuple:
        places = [(0, rank[name], "", line or 0) if name in rank else (1, 0, name, line or 0)
                  for name, line in message.locations]
        return min(places, default=(2, 0, "", message.lineno or 0))

    return key


def notes(comments: list[str]) -> Parts:
    grouped: list[str] = []
    for line in comments:
        if grouped and not NOTE_START_RE.match(line):
            grouped[-1] += " " + line
        else:
            grouped.append(line)
    return tuple((text, text.startswith("gloss:")) for text in grouped)


def gloss_parts(text: str, original: str, glossed: bool) -> Parts:
    """The translation with each bracketed phrase the original does not have highlighted."""
    if not glossed:
        return ((text, False),)
    parts, pos = [], 0
    for match in BRACKETS_RE.finditer(text):
        if match.group() not in original:  # "(PLLA)" is in the English too: not a gloss
            parts += [(text[pos:match.start()], False), (match.group(), True)]
            pos = match.end()
    parts.append((text[pos:], False))
    return tuple(part for part in parts if part[0])


def sheet_rows(site: Site, report: CatalogReport, language: Language) -> list[Row]:
    changed = {change.lineno for change in language.changed}
    rows = []
    for message in sorted((m for m in report.catalog if m.id), key=page_order([p.path for p in site.pages])):
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = forms(message)
        comments = notes(message.user_comments)
        glossed = any(is_gloss for _, is_gloss in comments)
        rows.append(Row(tuple(f"{name}:{line}" for name, line in message.locations), message.lineno, english,
                        tuple(gloss_parts(text, " ".join(english), glossed) for text in strings),
                        tuple(message.auto_comments), comments,
                        "untranslated" if not all(strings) else "fuzzy" if message.fuzzy else "translated",
                        message.lineno in changed))
    return rows


def render(site: Site, report: CatalogReport, language: Language, today: dt.date | None = None) -> Sheet:
    """The sheet for one checked catalog, as HTML text (autoescaped: catalog text is never markup)."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    rows = sheet_rows(site, report, language)
    covers = fingerprint(report.catalog)
    counts = {state: sum(row.state == state for row in rows) for state in ("translated", "fuzzy", "untranslated")}
    html = env.get_template("review-sheet.html").render(
        marker=Markup(MARKER), language=language, code=report.code, po_path=report.path, rows=rows, counts=counts,
        covered=len(reviewed_messages(report.catalog)), fingerprint=covers, revised=report.catalog.revision_date,
        prepared=today or dt.date.today())
    return Sheet(html, len(rows), covers)


def write(out: Path, html: str) -> None:
    """Write the sheet; refuse a build folder and any file that is not an earlier sheet."""
    if any(is_build(folder) for folder in out.parents):
        raise GuideError(out, None, "is inside a build of the guide, which gets published",
                         "write the sheet outside the build folder")
    if out.exists() or out.is_symlink():
        head = b""
        if out.is_file() and not out.is_symlink():
            with out.open("rb") as handle:
                head = handle.read(4096)
        if MARKER.encode() not in head:
            raise GuideError(out, None, "exists and is not a review sheet",
                             "choose another --out, or move that file away")
    try:
        out.write_text(html, "utf-8")
    except OSError as exc:
        raise cannot_write(exc, out, "write the review sheet") from None
