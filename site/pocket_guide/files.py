"""Reading a file a person edits: the one home for it.

Every input (content, catalogs, ``site.toml``, review records) is read here:
inside the project only (a link pointing outside is refused by name, and
nothing of its content is echoed), as UTF-8 with a BOM and CRLF accepted,
and with no invisible character that could reorder what a patient reads.
TOML comes back with the line of each key, so every error names its line.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import GuideError

#: Characters that reorder or hide text: bidi embeddings, overrides and isolates,
#: directional marks, and other invisible format characters (Unicode category Cf)
#: but the joiners that scripts such as Devanagari and Persian need.
ALLOWED_FORMAT = {"\u200c", "\u200d", "\u00ad", "\ufeff"}


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to the project root when it is inside it."""
    if root is not None:
        try:
            return path.absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def check_inside(path: Path, root: Path | None, error: type[GuideError]) -> None:
    """Refuse a file (or a folder on its way) that links outside the project."""
    if root is None:
        return
    real, top = path.resolve(), root.resolve()
    if real != top and top not in real.parents:
        raise error(display_path(path, root), None, "is a link to a file outside the project",
                    "copy the file into the project instead of linking to it")


def invisible(text: str) -> tuple[int, str] | None:
    """(1-based line, code point) of the first invisible reordering character, or None."""
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf" and char not in ALLOWED_FORMAT:
            return text.count("\n", 0, index) + 1, f"U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}"
    return None


def check_visible(text: str, shown: str, error: type[GuideError], line_offset: int = 0) -> None:
    """Refuse bidi controls and other invisible format characters, naming the line and code point."""
    found = invisible(text)
    if found:
        line, name = found
        raise error(shown, line + line_offset, f"invisible control character {name} can reorder or hide text",
                    "delete it (the guide isolates numbers and Latin words itself)")


def decode(raw: bytes, shown: str, error: type[GuideError], fix: str) -> str:
    """UTF-8 text (a BOM dropped, CRLF folded); an invalid byte is reported at its 1-based line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(shown, raw[: exc.start].count(b"\n") + 1, "the file is not valid UTF-8", fix) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, root: Path | None, error: type[GuideError], fix: str = "save it as UTF-8") -> str:
    """A project file's text, checked as the module says."""
    check_inside(path, root, error)
    shown = display_path(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(shown, None, f"cannot be read ({exc.strerror})", "check that the file exists and is readable") \
            from None
    text = decode(raw, shown, error, fix)
    check_visible(text, shown, error)
    return text


@dataclass(frozen=True)
class Located:
    """TOML data with the 1-based line of each top-level key (and table)."""

    data: dict
    lines: dict[str, int]
    path: str

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


KEY_RE = re.compile(r"""^\s*(?:\[\s*)?(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*(?:=|\])""")


def read_toml(path: Path, root: Path | None, error: type[GuideError], example: str) -> Located:
    """Parse a TOML file; a syntax error names its line, and ``example`` shows the fix."""
    shown = display_path(path, root)
    text = read_text(path, root, error)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise error(shown, int(match.group(1)) if match else 1, f"not valid TOML: {reason}", example) from None
    lines: dict[str, int] = {}
    depth_table = None
    for number, line in enumerate(text.split("\n"), 1):
        match = KEY_RE.match(line)
        if not match:
            continue
        key = next(g for g in match.groups() if g)
        if line.lstrip().startswith("["):
            depth_table = key
            lines.setdefault(key, number)
        elif depth_table is None:
            lines.setdefault(key, number)
        else:
            lines.setdefault(f"{depth_table}.{key}", number)
    return Located(data, lines, shown)
