"""Translation catalogs: read, check and compile. The one place a catalog is checked.

``check_catalog`` reads a ``.po`` once and returns a report whose
``messages`` are exactly the translations that passed every check: the
build renders those, and ``check`` prints the same report, so the two can
never disagree. The language's ``glossary.csv`` is read here too: a
malformed one is an error, a translation without an approved term a warning.
``.mo`` files are written only by the ``compile`` command.
"""
from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .content import MD
from .errors import CatalogError
from .files import display_path, read_text
from .glossary import load_glossary, term_warnings

PO_NAME = Path("LC_MESSAGES") / "messages.po"
PO_LINE_RE = re.compile(
    r'^\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"'
    r'|"(?:[^"\\]|\\.)*")?\s*$')
HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|<!--|<\?")
SCRIPT_URL_RE = re.compile(r"(?i)\b(?:java|vb)script\s*:|\bdata\s*:\s*text/html")
#: A whole printf conversion (name, flags, width, precision, type) or a {name} field.
PLACEHOLDER_RE = re.compile(r"%(?:\([A-Za-z_]\w*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
                            r"|\{[A-Za-z_]\w*\}")
NAMED_RE = re.compile(r"%\(")
#: A translation this much longer than its original is taken for a mistake.
MAX_GROWTH, MAX_LENGTH = 10, 2000
PO_FIX = "save it as UTF-8 (Poedit and Weblate do this by default)"


@dataclass
class CatalogReport:
    """One catalog, read and checked: its errors, warnings, counts and usable messages."""

    path: str
    code: str
    catalog: Catalog | None = None
    errors: list[CatalogError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    #: msgid -> translation (a tuple of forms for plurals): only what passed every check.
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def catalog_paths(translations: Path) -> dict[str, Path]:
    """Every ``<code>/LC_MESSAGES/messages.po`` under ``translations``, by folder name."""
    found = {}
    if translations.is_dir():
        for folder in sorted(translations.iterdir()):
            if (folder / PO_NAME).is_file():
                found[folder.name] = folder / PO_NAME
    return found


def header_line(text: str, name: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(f'"{name}:'):
            return number
    return 0


def plural_function(catalog: Catalog, text: str, shown: str) -> Callable[[int], int]:
    """The catalog's Plural-Forms as a function; a malformed one is a located error."""
    line = header_line(text, "Plural-Forms") or 1
    fix = 'copy the Plural-Forms line for the language from Poedit or "pybabel init"'
    try:
        count = int(catalog.num_plurals)
        func = gettext.c2py(catalog.plural_expr)
        if count < 1 or any(not 0 <= func(n) < count for n in range(201)):
            raise ValueError
    except (ValueError, TypeError, SyntaxError, OverflowError, RecursionError, ZeroDivisionError):
        raise CatalogError(shown, line, f"Plural-Forms is not valid: {catalog.plural_forms!r}", fix) from None
    return func


def parse_po(text: str, shown: str, code: str) -> Catalog:
    """Parse .po text strictly; raise CatalogError with a 1-based line."""
    for number, line in enumerate(text.split("\n"), 1):
        if not PO_LINE_RE.match(line):
            raise CatalogError(shown, number, f"syntax error in {line.strip()[:60]!r}",
                               'each line must be a comment, a keyword with a "quoted string", or a '
                               '"quoted string"; check for a missing quote')
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(shown, exc.lineno + 1, f"syntax error: {exc.args[0]}",
                           "fix the entry on that line, or open the file in Poedit to see it") from None
    language_line = header_line(text, "Language")
    if catalog.locale is None:
        raise CatalogError(shown, language_line or 2, 'the header has no "Language"',
                           f'add the line "Language: {code}\\n" to the header entry (msgid "")')
    if str(catalog.locale) != str(Locale.parse(code)):
        raise CatalogError(shown, language_line, f'"Language: {catalog.locale}" does not match the folder {code!r}',
                           f'set "Language: {code}\\n" or move the file to translations/{catalog.locale}/')
    return catalog


def markdown_signature(text: str) -> dict[str, list[str]]:
    """What a translation must keep: link targets, images, emphasis, code."""
    sig: dict[str, list[str]] = {"links": [], "images": [], "emphasis": [], "code": []}
    for child in MD.parseInline(text)[0].children or []:
        if child.type == "link_open":
            sig["links"].append(str(child.attrGet("href")))
        elif child.type == "image":
            sig["images"].append(str(child.attrGet("src")))
        elif child.type in ("strong_open", "em_open"):
            sig["emphasis"].append(child.markup[0] * len(child.markup))
        elif child.type == "code_inline":
            sig["code"].append(child.content)
    return {k: sorted(v) for k, v in sig.items()}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def check_message(msgid: str, msgstr: str) -> str | None:
    """The first safety or structure problem of one translation, or None."""
    if HTML_RE.search(msgstr) and not HTML_RE.search(msgid):
        tag = HTML_RE.search(msgstr).group(0).strip()
        return f"translation contains HTML ({tag!r}); translations are plain text with Markdown, remove the tag"
    if SCRIPT_URL_RE.search(msgstr):
        return "translation contains a script link (javascript:); remove it, links must match the original"
    if len(msgstr) > MAX_LENGTH and len(msgstr) > MAX_GROWTH * len(msgid):
        return (f"translation is {len(msgstr)} characters for an original of {len(msgid)}, likely a mistake; "
                "translate only this string")
    want = placeholders(msgid)
    if want or NAMED_RE.search(msgstr):
        got = placeholders(msgstr)
        if want != got:
            return f"placeholders differ: the original has {want}, the translation has {got}; copy them unchanged"
    sig_id, sig_str = markdown_signature(msgid), markdown_signature(msgstr)
    for part, label in (("links", "Markdown links"), ("images", "images"), ("emphasis", "bold/emphasis"),
                        ("code", "code spans")):
        if sig_id[part] != sig_str[part]:
            return (f"{label} differ: the original has {sig_id[part]}, the translation has "
                    f"{sig_str[part]}; keep them as in the original")
    return None


def plural_form_lines(text: str) -> dict[int, int]:
    """For each msgid_plural entry (by the msgid's line), how many msgstr[N] lines it has.

    Babel pads missing forms with empty strings, so the count comes from the text.
    """
    counts: dict[int, int] = {}
    entry_line = current = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("msgid "):
            entry_line = number
            current = None
        elif stripped.startswith("msgid_plural"):
            current = entry_line
            counts[current] = 0
        elif stripped.startswith("msgstr[") and current is not None:
            counts[current] += 1
    return counts


def check_catalog(path: Path, code: str, root: Path | None = None,
                  required: set[str] | None = None) -> CatalogReport:
    """Read one catalog and report its errors, warnings, completeness and usable messages.

    ``required`` is the set of msgids the site uses now (the template's);
    without it the catalog's own entries are counted. Every entry is checked
    for safety, needed or not.
    """
    shown = display_path(path, root)
    report = CatalogReport(shown, code)
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        report.errors.append(CatalogError(shown, 1, f"{code!r} is not a known language code",
                                          "name the folder with a code like es, pt_BR or zh_Hans"))
        return report
    try:
        text = read_text(path, root, CatalogError, PO_FIX)
        catalog = parse_po(text, shown, code)
        report.plural = plural_function(catalog, text, shown)
    except CatalogError as exc:
        report.errors.append(exc)
        return report
    report.catalog = catalog
    try:
        terms = load_glossary(path.parent.parent, root)
    except CatalogError as exc:
        report.errors.append(exc)
        terms = []
    plural_lines = plural_form_lines(text)
    done: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        counted = required is None or key in required
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        done.add(key)
        if isinstance(message.id, tuple):
            forms = plural_lines.get(message.lineno, len(strings))
            if forms != catalog.num_plurals and any(strings):
                report.errors.append(CatalogError(
                    shown, message.lineno, f"{forms} plural forms, but Plural-Forms says {catalog.num_plurals}",
                    f"give exactly {catalog.num_plurals} msgstr[N] lines"))
                continue
        originals = message.id if isinstance(message.id, tuple) else (message.id,)
        problem = next((p for index, translated in enumerate(strings) if translated
                        # msgstr[0] answers the singular msgid, every other form the plural.
                        for p in [check_message(originals[0] if index == 0 else originals[-1], translated)]
                        if p), None)
        if problem:  # checked whether fuzzy or not: nothing unsafe passes, shown or not
            what, _, fix = problem.partition("; ")
            report.errors.append(CatalogError(shown, message.lineno, what, fix))
            continue
        if not all(strings):
            report.untranslated += counted
        elif message.fuzzy:
            report.fuzzy += counted
            if counted:
                report.warnings.append(f"{shown}:{message.lineno}: fuzzy translation is not shown to patients "
                                       "- check it against the original and remove the fuzzy flag")
        else:
            report.translated += counted
            report.messages[key] = strings if isinstance(message.id, tuple) else strings[0]
            report.warnings += term_warnings(terms, originals, strings, f"{shown}:{message.lineno}")
    if required is not None:
        report.untranslated += len(required - done)
    return report


def template_messages(pot: Path) -> set[str] | None:
    """The msgids of the committed template (``translations/messages.pot``)."""
    if not pot.is_file():
        return None
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def compile_catalog(report: CatalogReport, po_path: Path) -> Path:
    """Write ``messages.mo`` beside the .po (only if its bytes change): for tools other than the build."""
    buffer = io.BytesIO()
    write_mo(buffer, report.catalog, use_fuzzy=False)
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.is_file() or mo_path.read_bytes() != buffer.getvalue():
        mo_path.write_bytes(buffer.getvalue())
    return mo_path
