"""Medical review records: ``translations/<lang>/review.toml`` and ``review-strings.txt``.

Kept apart from the ``.po`` so ``pybabel update`` keeps them. A record says
who reviewed (``reviewed_by``, ``role``), when (``reviewed_on``) and exactly
what: ``fingerprint`` is a sha256 of every translated, non-fuzzy message
(msgctxt, msgid, msgid_plural, msgstr forms) in a canonical order, not of the
file's bytes, so re-wrapping by ``pybabel`` or changed ``#:`` references keep
it valid. ``review-strings.txt`` beside it keeps a short hash of each reviewed
message's original and translation, so a later catalog can tell which strings
changed since. ``review-record`` writes both; nobody computes hashes by hand.

An old record (``reviewed_by`` and ``reviewed_on`` only) still counts while
the catalog's ``PO-Revision-Date`` is not after ``reviewed_on``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from .errors import CatalogError
from .files import display_path, read_text, read_toml

EXAMPLE = 'write it as reviewed_by = "Name, role" and reviewed_on = 2026-12-01'
KEYS = ("reviewed_by", "role", "reviewed_on", "fingerprint")
RECORD, STRINGS = "review.toml", "review-strings.txt"
FINGERPRINT_RE = re.compile(r"sha256:[0-9a-f]{64}")
#: Hex digits kept of each message's hashes in review-strings.txt (64 bits: no collision in a guide).
SHORT = 16
STRING_LINE_RE = re.compile(rf"([0-9a-f]{{{SHORT}}})\t([0-9a-f]{{{SHORT}}})")
RERUN = "run python -m pocket_guide review-record again"


@dataclass(frozen=True)
class Review:
    """Who checked a translation medically, when, and which text."""

    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    role: str = ""
    fingerprint: str = ""
    #: (original hash, translation hash) of each reviewed message; None without review-strings.txt.
    strings: frozenset[tuple[str, str]] | None = None

    @property
    def signed(self) -> str:
        """The reviewer as a person reads it: ``Name, role``."""
        return ", ".join(part for part in (self.reviewed_by, self.role) if part)


@dataclass(frozen=True)
class Change:
    """A translated message that is not the text the reviewer read: its .po line and msgid."""

    lineno: int
    msgid: str


def forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def identity(message: Message) -> tuple[str, str, str]:
    """(msgctxt, msgid, msgid_plural): what a message is, whatever it says."""
    ids = message.id if isinstance(message.id, tuple) else (message.id, "")
    return message.context or "", ids[0], ids[1]


def reviewed_messages(catalog: Catalog) -> list[Message]:
    """What a review covers: every translated, non-fuzzy message, in canonical order."""
    return sorted((m for m in catalog if m.id and not m.fuzzy and all(forms(m))), key=identity)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def fingerprint(catalog: Catalog) -> str:
    """The sha256 of exactly what a reviewer reads, as ``sha256:<hex>``."""
    return "sha256:" + _digest([[*identity(m), list(forms(m))] for m in reviewed_messages(catalog)])


def string_hash(message: Message) -> tuple[str, str]:
    """Short hashes of one message's original and of its translation."""
    return _digest(list(identity(message)))[:SHORT], _digest(list(forms(message)))[:SHORT]


def changes(review: Review, catalog: Catalog) -> tuple[Change, ...]:
    """The translated messages a fingerprinted review did not read, in file order.

    Without ``review-strings.txt`` nothing tells which strings are new, so all count.
    """
    if not review.fingerprint or review.fingerprint == fingerprint(catalog):
        return ()
    found = [m for m in reviewed_messages(catalog) if review.strings is None or string_hash(m) not in review.strings]
    return tuple(Change(m.lineno, identity(m)[1]) for m in sorted(found, key=lambda m: m.lineno or 0))


def load_review(folder: Path, root: Path | None = None, today: dt.date | None = None) -> Review:
    """Read ``review.toml`` (and ``review-strings.txt``) beside a catalog; every problem is one located line."""
    path = folder / RECORD
    if not path.is_file() and not path.is_symlink():
        return Review()
    found = read_toml(path, root, CatalogError, EXAMPLE)
    today = today or dt.date.today()
    for key, value in found.data.items():
        line = found.line(key)
        if key not in KEYS:
            raise CatalogError(found.path, line, f"unknown key {key!r}", "use " + ", ".join(KEYS[:-1]) + " and "
                               + KEYS[-1])
        if key in ("reviewed_by", "role") and not isinstance(value, str):
            raise CatalogError(found.path, line, f"{key} must be text", f'write it like {key} = "Name"')
        if key == "reviewed_on":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise CatalogError(found.path, line, f"reviewed_on must be a date, got {value!r}",
                                   "write it like reviewed_on = 2026-12-01")
            if value > today:
                raise CatalogError(found.path, line, f"reviewed_on {value.isoformat()} is in the future",
                                   "give the day the review was done")
        if key == "fingerprint" and not (isinstance(value, str) and FINGERPRINT_RE.fullmatch(value)):
            raise CatalogError(found.path, line, f'fingerprint must be "sha256:" and 64 hex digits, got {value!r}',
                               f"{RERUN}, or delete the line")
    data = found.data
    if "fingerprint" in data and not (data.get("reviewed_by", "").strip() and "reviewed_on" in data):
        raise CatalogError(found.path, found.line("fingerprint"), "a fingerprint without reviewed_by and reviewed_on",
                           RERUN)
    strings = None
    if "fingerprint" in data and (folder / STRINGS).is_file():
        strings = load_strings(folder / STRINGS, root, data["fingerprint"])
    return Review(data.get("reviewed_by", "").strip(), data.get("reviewed_on"), data.get("role", "").strip(),
                  data.get("fingerprint", ""), strings)


def load_strings(path: Path, root: Path | None, expected: str) -> frozenset[tuple[str, str]]:
    """The reviewed messages' hashes; the file must belong to the record's fingerprint."""
    shown = display_path(path, root)
    pairs, written_for = set(), None
    for number, line in enumerate(read_text(path, root, CatalogError).split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("fingerprint "):
            written_for = line.split(" ", 1)[1].strip()
            if written_for != expected:
                raise CatalogError(shown, number, f"written for {written_for}, but {RECORD} has {expected}", RERUN)
            continue
        match = STRING_LINE_RE.fullmatch(line.strip())
        if not match:
            raise CatalogError(shown, number, f"{line.strip()[:40]!r} is not two hashes separated by a tab", RERUN)
        pairs.add((match.group(1), match.group(2)))
    if written_for is None:
        raise CatalogError(shown, 1, "no fingerprint line", RERUN)
    return frozenset(pairs)


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; callers refuse control characters)."""
    return json.dumps(text, ensure_ascii=False)


def record_text(review: Review) -> str:
    return (f"# Medical review of this translation, written by python -m pocket_guide review-record.\n"
            f"# The fingerprint covers exactly the translated strings the reviewer checked;\n"
            f"# {STRINGS} beside this file lists them, so the guide can tell which changed since.\n"
            f"reviewed_by = {toml_string(review.reviewed_by)}\n"
            f"role = {toml_string(review.role)}\n"
            f"reviewed_on = {review.reviewed_on.isoformat()}\n"
            f"fingerprint = {toml_string(review.fingerprint)}\n")


def strings_text(catalog: Catalog, covers: str) -> str:
    lines = sorted("\t".join(string_hash(m)) for m in reviewed_messages(catalog))
    return (f"# The strings the medical review in {RECORD} covers, one per line: a hash of the original\n"
            "# (msgctxt, msgid, msgid_plural), a tab, a hash of the translation. Written by\n"
            "# python -m pocket_guide review-record; do not edit.\n"
            f"fingerprint {covers}\n" + "".join(line + "\n" for line in lines))


def write_review(folder: Path, catalog: Catalog, reviewed_by: str, role: str, reviewed_on: dt.date) -> Review:
    """Record a review of the catalog as it is now: ``review-strings.txt``, then ``review.toml``."""
    review = Review(reviewed_by, reviewed_on, role, fingerprint(catalog))
    for name, text in ((STRINGS, strings_text(catalog, review.fingerprint)), (RECORD, record_text(review))):
        temporary = folder / f".{name}.tmp"
        temporary.write_text(text, "utf-8")
        os.replace(temporary, folder / name)  # never half a record
    return review
