"""Look up translations: plain text in, plain text out.

A ``Translator`` answers for one language from its checked catalog. It
returns the text and whether it fell back to English, and it keeps the
fallbacks of the page it serves in ``missed``, so the page can say that part
of it is not yet translated. Nothing here escapes: HTML is the job of
``html.py``, and JSON and plain-text outputs use this text as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from .languages import Language


@dataclass
class Translator:
    """One language's translations, for one page (``missed`` is that page's fallbacks)."""

    language: Language
    messages: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    plural_index: Callable[[int], int] = lambda n: int(n != 1)
    missed: set[str] = field(default_factory=set)

    def get(self, msgid: str) -> tuple[str, bool]:
        """(text, fell back to English)."""
        if self.language.is_source:
            return msgid, False
        found = self.messages.get(msgid)
        if isinstance(found, str):
            return found, False
        self.missed.add(msgid)
        return msgid, True

    def get_plural(self, singular: str, plural: str, num: int) -> tuple[str, bool]:
        english = singular if num == 1 else plural
        if self.language.is_source:
            return english, False
        forms = self.messages.get(singular)
        if isinstance(forms, tuple):
            return forms[min(self.plural_index(num), len(forms) - 1)], False
        self.missed.add(singular)
        return english, True

    def gettext(self, msgid: str, **variables) -> str:
        """The translation as plain text, placeholders filled (for JSON and attributes)."""
        text, _ = self.get(msgid)
        return text % variables if variables else text

    def for_page(self) -> "Translator":
        """A fresh translator with the same catalog, to count one page's fallbacks."""
        return Translator(self.language, self.messages, self.plural_index)

    @property
    def fell_back(self) -> bool:
        return bool(self.missed)
