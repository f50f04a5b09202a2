"""The one error family the guide raises for bad input.

Every message starts with a 1-based ``path:line:`` location (``path:`` for
a whole folder), says what is wrong, then how to fix it, so the command line
can print it as one line.
"""
from __future__ import annotations


class GuideError(Exception):
    """Bad input: a content, catalog or config file a person must fix."""

    def __init__(self, path: object, lineno: int | None, problem: str, fix: str):
        self.path = str(path)
        self.lineno = None if lineno is None else max(int(lineno), 1)
        self.problem = problem
        self.fix = fix
        where = self.path if self.lineno is None else f"{self.path}:{self.lineno}"
        super().__init__(f"{where}: {problem} - {fix}")


def utf8_text(raw: bytes, shown: str, error: type[GuideError], fix: str) -> str:
    """Decode UTF-8 (dropping a BOM); an invalid byte is reported at its 1-based line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(shown, raw[: exc.start].count(b"\n") + 1, "the file is not valid UTF-8", fix) from None


class ContentError(GuideError):
    """A Markdown page or its front matter is malformed."""


class CatalogError(GuideError):
    """A translation catalog (.po) is malformed or unsafe."""


class ConfigError(GuideError):
    """The site config file (site.toml) is malformed."""
