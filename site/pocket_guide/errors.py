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


class ContentError(GuideError):
    """A Markdown page or its front matter is malformed."""


class CatalogError(GuideError):
    """A translation catalog (.po) is malformed or unsafe."""


class ConfigError(GuideError):
    """The site config file (site.toml) is malformed."""
