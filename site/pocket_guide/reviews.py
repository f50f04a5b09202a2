"""Medical review records: ``translations/<lang>/review.toml``.

Kept apart from the ``.po`` so ``pybabel update`` keeps it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError
from .files import read_toml

EXAMPLE = 'write it as reviewed_by = "Name, role" and reviewed_on = 2026-12-01'


@dataclass(frozen=True)
class Review:
    """Who checked a translation medically, and when."""

    reviewed_by: str = ""
    reviewed_on: dt.date | None = None


def load_review(folder: Path, root: Path | None = None, today: dt.date | None = None) -> Review:
    """Read ``review.toml`` beside a catalog; every problem is one located line."""
    path = folder / "review.toml"
    if not path.is_file() and not path.is_symlink():
        return Review()
    found = read_toml(path, root, CatalogError, EXAMPLE)
    today = today or dt.date.today()
    for key, value in found.data.items():
        line = found.line(key)
        if key not in ("reviewed_by", "reviewed_on"):
            raise CatalogError(found.path, line, f"unknown key {key!r}", "use reviewed_by and reviewed_on")
        if key == "reviewed_by" and not isinstance(value, str):
            raise CatalogError(found.path, line, "reviewed_by must be text", 'write it like reviewed_by = "Name"')
        if key == "reviewed_on":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise CatalogError(found.path, line, f"reviewed_on must be a date, got {value!r}",
                                   "write it like reviewed_on = 2026-12-01")
            if value > today:
                raise CatalogError(found.path, line, f"reviewed_on {value.isoformat()} is in the future",
                                   "give the day the review was done")
    return Review(found.data.get("reviewed_by", "").strip(), found.data.get("reviewed_on"))
