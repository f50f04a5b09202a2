"""Approved terms per language: ``translations/<lang>/glossary.csv``.

The file is what Weblate imports as a glossary: a header row
``source,target`` with an optional third column for a note
(``translator_comments``, which Weblate keeps as a comment; ``note`` is read
too), then one term per row. ``check`` warns, with the .po line, where a
translation of a message using a source term lacks the approved target term.
A malformed file is refused by ``check`` and the build alike.

A source term matches as a whole word, case-insensitively, with an English
plural ``s``/``es``; the target term matches anywhere in the translation, so
a suffix the language adds (``філери`` for ``філер``) passes. Where the
language changes the word itself (a case ending, ``celulită`` to
``celulitei``), the note can give the part every form shares:
``stem: celulit`` (up to a ``;`` or the end), and that is accepted too.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError
from .files import display_path, read_text

NAME = "glossary.csv"
HEADER = ("source", "target")
NOTE_COLUMNS = ("translator_comments", "note")
STEM_RE = re.compile(r"(?:^|;)\s*stem:\s*([^;]+)", re.IGNORECASE)
FIX_HEADER = "start the file with the line source,target,translator_comments (the columns Weblate imports)"


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    line: int
    pattern: re.Pattern
    stem: str = ""


def normal_text(text: str) -> str:
    """NFC, casefolded, every run of spaces (no-break ones too) one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def term_pattern(source: str) -> re.Pattern:
    words = r"\s+".join(re.escape(word) for word in source.split())
    return re.compile(rf"(?<!\w){words}(?:e?s)?(?!\w)", re.IGNORECASE)


def load_glossary(folder: Path, root: Path | None = None) -> list[Term]:
    """The terms of ``glossary.csv`` beside a catalog (none without the file); a mistake is one located line."""
    path = folder / NAME
    if not path.is_file() and not path.is_symlink():
        return []
    shown = display_path(path, root)
    reader = csv.reader(io.StringIO(read_text(path, root, CatalogError)), strict=True)
    terms: dict[str, Term] = {}
    width = 0
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            if not width:
                names = tuple(cell.lower() for cell in cells)
                if names[:2] != HEADER or len(names) > 3 or (len(names) == 3 and names[2] not in NOTE_COLUMNS):
                    raise CatalogError(shown, line, f"the header is {','.join(row)!r}, not source,target",
                                       FIX_HEADER)
                width = len(names)
                continue
            if len(cells) != width:
                raise CatalogError(shown, line, f"{len(cells)} columns, but the header has {width}",
                                   'quote a term that contains a comma, like "a, b"')
            source, target = cells[0], cells[1]
            if not source or not target:
                raise CatalogError(shown, line, f"the {'source' if not source else 'target'} term is empty",
                                   "fill in both terms or delete the line")
            key = normal_text(source)
            if key in terms:
                raise CatalogError(shown, line, f"{source!r} is already in the glossary on line {terms[key].line}",
                                   "keep one line per term")
            stem = STEM_RE.search(cells[2]) if width == 3 else None
            terms[key] = Term(source, target, line, term_pattern(source), stem.group(1).strip() if stem else "")
    except csv.Error as exc:
        raise CatalogError(shown, start, f"not valid CSV: {exc}", "check the quotes on that line") \
            from None
    if not width:
        raise CatalogError(shown, 1, "the file is empty", FIX_HEADER)
    return list(terms.values())


def term_warnings(terms: list[Term], originals: tuple[str, ...], translations: tuple[str, ...],
                  where: str) -> list[str]:
    """A located warning for each term an original uses whose approved target a translation lacks."""
    out = []
    for term in terms:
        approved = [normal_text(form) for form in (term.target, term.stem) if form]
        if any(term.pattern.search(text) for text in originals) and \
                not all(any(form in normal_text(text) for form in approved) for text in translations):
            out.append(f'{where}: warning: "{term.source}" should be translated as "{term.target}" '
                       f"({NAME}:{term.line}) - use the approved term, or update the glossary")
    return out
