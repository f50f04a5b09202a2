"""Languages, the content extractor, and checks on translation catalogs.

A language exists when ``translations/<code>/LC_MESSAGES/messages.po``
exists: no code or config names the languages. English is the source
language and has no catalog.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .content import MD, display_path, parse_page
from .errors import CatalogError, utf8_text

SOURCE_LANGUAGE = "en"
PO_NAME = Path("LC_MESSAGES") / "messages.po"
PO_LINE_RE = re.compile(
    r'^\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"'
    r'|"(?:[^"\\]|\\.)*")?\s*$')
HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|<!--|<\?")
SCRIPT_URL_RE = re.compile(r"(?i)\b(?:java|vb)script\s*:|\bdata\s*:\s*text/html")
PLACEHOLDER_RE = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")


# --- Languages --------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    """Who checked a translation medically, and when (``review.toml``)."""

    reviewed_by: str = ""
    reviewed_on: dt.date | None = None


@dataclass(frozen=True)
class Language:
    code: str          # gettext folder name: "zh_Hans"
    tag: str           # BCP 47, for lang="" and hreflang: "zh-Hans"
    slug: str          # URL segment: "zh-hans"
    name: str          # its own name in its own script: "Español"
    name_in_text: str  # the same as written mid-sentence: "español"
    english_name: str
    dir: str           # "ltr" or "rtl"
    translator: str = ""
    revised: dt.date | None = None
    review: Review = field(default_factory=Review)

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE_LANGUAGE

    @property
    def reviewed(self) -> bool:
        """True when a medical review covers the latest revision."""
        if self.is_source:
            return True
        r = self.review
        return bool(r.reviewed_by and r.reviewed_on and
                    (self.revised is None or r.reviewed_on >= self.revised))


def make_language(code: str, catalog: Catalog | None = None, review: Review | None = None) -> Language:
    locale = Locale.parse(code)
    raw = locale.get_display_name(locale) or code
    name = raw[:1].upper() + raw[1:]
    translator = revised = None
    if catalog is not None:
        translator = (catalog.last_translator or "").strip()
        if "FULL NAME" in translator:
            translator = ""
        revised = catalog.revision_date.date() if isinstance(catalog.revision_date, dt.datetime) else None
    tag = str(locale).replace("_", "-")
    return Language(code=code, tag=tag, slug=tag.lower(), name=name, name_in_text=raw,
                    english_name=locale.get_display_name("en") or code,
                    dir=locale.text_direction, translator=translator or "",
                    revised=revised, review=review or Review())


def catalog_paths(translations: Path) -> dict[str, Path]:
    """Every ``<code>/LC_MESSAGES/messages.po`` under ``translations``."""
    found = {}
    if translations.is_dir():
        for folder in sorted(translations.iterdir()):
            if (folder / PO_NAME).is_file():
                found[folder.name] = folder / PO_NAME
    return found


# --- Reading and checking catalogs ------------------------------------------

@dataclass
class CatalogReport:
    path: str
    code: str
    catalog: Catalog | None = None
    errors: list[CatalogError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def decode_po(raw: bytes, shown: str) -> str:
    """UTF-8 text with a BOM and CRLF line ends accepted."""
    text = utf8_text(raw, shown, CatalogError, "save it as UTF-8 (Poedit and Weblate do this by default)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    header_line = _header_line(text, "Language")
    if catalog.locale is None:
        raise CatalogError(shown, header_line or 2, 'the header has no "Language"',
                           f'add the line "Language: {code}\\n" to the header entry (msgid "")')
    if str(catalog.locale) != str(Locale.parse(code)):
        raise CatalogError(shown, header_line, f'"Language: {catalog.locale}" does not match the folder {code!r}',
                           f'set "Language: {code}\\n" or move the file to translations/{catalog.locale}/')
    return catalog


def _header_line(text: str, name: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(f'"{name}:'):
            return number
    return 0


def markdown_signature(text: str) -> dict[str, list[str]]:
    """What a translation must keep: link targets, emphasis, code."""
    sig: dict[str, list[str]] = {"links": [], "emphasis": [], "code": []}
    for child in MD.parseInline(text)[0].children or []:
        if child.type == "link_open":
            sig["links"].append(str(child.attrGet("href")))
        elif child.type in ("strong_open", "em_open"):
            sig["emphasis"].append(child.markup[0] * len(child.markup))
        elif child.type == "code_inline":
            sig["code"].append(child.content)
    return {k: sorted(v) for k, v in sig.items()}


def check_message(msgid: str, msgstr: str) -> str | None:
    """The first safety or structure problem of one translation, or None."""
    if HTML_RE.search(msgstr) and not HTML_RE.search(msgid):
        tag = HTML_RE.search(msgstr).group(0).strip()
        return f"translation contains HTML ({tag!r}); translations are plain text with Markdown, remove the tag"
    if SCRIPT_URL_RE.search(msgstr):
        return "translation contains a script link (javascript:); remove it, links must match the original"
    want, got = sorted(PLACEHOLDER_RE.findall(msgid)), sorted(PLACEHOLDER_RE.findall(msgstr))
    if want != got:
        return f"placeholders differ: the original has {want}, the translation has {got}; copy them unchanged"
    sig_id, sig_str = markdown_signature(msgid), markdown_signature(msgstr)
    for part, label in (("links", "Markdown links"), ("emphasis", "bold/emphasis"), ("code", "code spans")):
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
    """Read one catalog and report its errors, warnings and completeness.

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
        text = decode_po(path.read_bytes(), shown)
        catalog = parse_po(text, shown, code)
    except CatalogError as exc:
        report.errors.append(exc)
        return report
    report.catalog = catalog
    plural_lines = plural_form_lines(text)
    done: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        counted = required is None or key in required
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple):
            forms = plural_lines.get(message.lineno, len(strings))
            if forms != catalog.num_plurals and any(strings):
                report.errors.append(CatalogError(
                    shown, message.lineno, f"{forms} plural forms, but Plural-Forms says {catalog.num_plurals}",
                    f"give exactly {catalog.num_plurals} msgstr[N] lines"))
                continue
        if not all(strings):
            report.untranslated += counted
            done.add(key)
            continue
        if message.fuzzy:
            report.fuzzy += counted
            done.add(key)
            if counted:
                report.warnings.append(f"{shown}:{message.lineno}: fuzzy translation is not shown to patients "
                                       "- check it against the original and remove the fuzzy flag")
            continue
        originals = message.id if isinstance(message.id, tuple) else (message.id,)
        for index, translated in enumerate(strings):
            # msgstr[0] answers the singular msgid, every other form the plural.
            problem = check_message(originals[0] if index == 0 else originals[-1], translated)
            if problem:
                what, _, fix = problem.partition("; ")
                report.errors.append(CatalogError(shown, message.lineno, what, fix))
                break
        else:
            report.translated += counted
        done.add(key)
    if required is not None:
        report.untranslated += len(required - done)
    return report


def template_messages(pot: Path) -> set[str] | None:
    """The msgids of the committed template (``translations/messages.pot``)."""
    if not pot.is_file():
        return None
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def load_review(folder: Path, root: Path | None = None) -> Review:
    """Read ``review.toml`` beside a catalog (kept apart so pybabel update keeps it)."""
    path = folder / "review.toml"
    if not path.is_file():
        return Review()
    shown = display_path(path, root)
    text = path.read_text("utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(shown, int(match.group(1)) if match else 1, f"not valid TOML: {exc}",
                           'write it as reviewed_by = "Name" and reviewed_on = 2026-12-01') from None
    for key, value in data.items():
        line = next((n for n, l in enumerate(text.split("\n"), 1) if l.strip().startswith(key)), 1)
        if key not in ("reviewed_by", "reviewed_on"):
            raise CatalogError(shown, line, f"unknown key {key!r}", "use reviewed_by and reviewed_on")
        if key == "reviewed_by" and not isinstance(value, str):
            raise CatalogError(shown, line, "reviewed_by must be text", 'write it like reviewed_by = "Name"')
        if key == "reviewed_on" and not isinstance(value, dt.date):
            raise CatalogError(shown, line, "reviewed_on must be a date", "write it like reviewed_on = 2026-12-01")
    return Review(data.get("reviewed_by", "").strip(), data.get("reviewed_on"))


def compile_catalog(catalog: Catalog, po_path: Path) -> Path:
    """Write ``messages.mo`` beside the .po (only if its bytes change)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.is_file() or mo_path.read_bytes() != buffer.getvalue():
        mo_path.write_bytes(buffer.getvalue())
    return mo_path


def load_languages(translations: Path, root: Path | None = None, compile_mo: bool = True) -> list[Language]:
    """Check every catalog (raising the first error), compile it, list languages."""
    languages = [make_language(SOURCE_LANGUAGE)]
    for code, path in catalog_paths(translations).items():
        report = check_catalog(path, code, root)
        if report.errors:
            raise report.errors[0]
        if compile_mo:
            compile_catalog(report.catalog, path)
        languages.append(make_language(code, report.catalog, load_review(path.parent.parent, root)))
    return languages


# --- Extraction --------------------------------------------------------------

def extract_markdown(fileobj, keywords, comment_tags, options):
    """Babel extractor for ``content/**.md``: one msgid per block.

    Registered in ``babel.cfg`` as ``markdown = pocket_guide.i18n:extract_markdown``.
    """
    raw = fileobj.read()
    text = raw.decode(options.get("encoding", "utf-8")) if isinstance(raw, bytes) else raw
    name = getattr(fileobj, "name", "<content>")
    for block in parse_page(text, str(name)).blocks:
        yield block.lineno, None, block.msgid, [block.comment]


__all__ = ["Language", "Review", "CatalogReport", "check_catalog", "load_languages", "extract_markdown",
           "make_language", "catalog_paths", "compile_catalog"]
