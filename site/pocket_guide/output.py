"""The output folder: the build replaces only a folder it made itself.

A build is written into a staging folder beside the output, marked with a
stamp file from its first moment, then swapped in with two renames. Before
anything is written, the output is checked: it must be new, empty, or a
stamped build. Stale staging folders and a swap interrupted between its two
renames are repaired by the next build, so the output folder always ends up
holding either the previous build or the new one.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import tomllib
from pathlib import Path

from .errors import GuideError

#: The mark of a folder the build made. It also records the public address the build was made
#: for (TOML), so ``serve`` can serve that build as it is; same inputs, same bytes.
STAMP = ".pocket-guide-build"
STAMP_TEXT = "# This folder was made by the pocket guide's build; the next build replaces it.\n"


class OutputError(GuideError):
    """The output folder cannot be used (it is the user's, or not writable)."""


def cannot_write(exc: OSError, where: Path, what: str = "write there") -> OutputError:
    """The one line for a folder the build cannot write to (read-only, no permission, full disk)."""
    return OutputError(str(where), None, f"cannot {what} ({exc.strerror})",
                       "choose a folder you can write to, or fix its permissions")


def is_build(folder: Path) -> bool:
    """True for a folder the build made (it holds the stamp file)."""
    stamp = folder / STAMP
    return folder.is_dir() and not folder.is_symlink() and stamp.is_file() and not stamp.is_symlink()


def _protected(out: Path, project: Path | None) -> str | None:
    """Why ``out`` may never be replaced, even when empty, or None."""
    if out == Path(out.anchor):
        return "is the root of the file system"
    if out == Path.home().resolve():
        return "is your home folder"
    if project is not None and (out == project or out in project.parents):
        return "is the project folder" if out == project else "contains the project folder"
    return None


def check_output(out: Path, project: Path | None = None) -> None:
    """Refuse, before anything is written, an output the build may not replace."""
    shown = str(out)
    if out.is_symlink():
        raise OutputError(shown, None, "is a symbolic link, which the build will not replace",
                          "name the real folder, or a new one")
    out = out.resolve()
    shown = str(out)
    why = _protected(out, project.resolve() if project else None)
    if why:
        raise OutputError(shown, None, f"{why}, which the build never replaces",
                          "choose an empty or new folder, such as build/")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(shown, None, "is a file, not a folder", "choose an empty or new folder")
    if is_build(out):
        return
    try:
        names = sorted(p.name for p in out.iterdir())
    except OSError as exc:
        raise OutputError(shown, None, f"cannot be read ({exc.strerror})", "choose a folder you can write to") from None
    if names:
        held = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise OutputError(shown, None, f"is not a pocket-guide build (it holds {held})",
                          "choose an empty or new folder")


def crash_point(name: str) -> None:
    """Let a test kill the build here (``POCKET_GUIDE_CRASH_AT=name``), as a power cut would."""
    if os.environ.get("POCKET_GUIDE_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _siblings(out: Path, kind: str) -> list[Path]:
    """Stamped staging (``new``) or retired (``old``) folders the build left beside ``out``."""
    return sorted(p for p in out.parent.glob(f".{out.name}.{kind}-*") if is_build(p))


def repair(out: Path) -> None:
    """Finish what a killed build left: restore an interrupted swap, drop stale folders."""
    old = _siblings(out, "old")
    if not out.exists() and old:
        old[-1].rename(out)  # killed between the two renames: the previous build goes back
        old = old[:-1]
    for stale in old + _siblings(out, "new"):
        shutil.rmtree(stale, ignore_errors=True)


def staging_folder(out: Path, site_url: str | None = None, given: bool = False) -> Path:
    """A new, stamped folder beside ``out`` for the build to write into.

    The stamp records ``site_url`` and whether it was ``given`` on the command line.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    record = STAMP_TEXT + f"site_url = {json.dumps(site_url or '')}\nsite_url_given = {str(given).lower()}\n"
    (staging / STAMP).write_text(record, "utf-8")
    return staging


def stamp_record(folder: Path) -> dict:
    """What the stamp of a build says: ``site_url`` ('' when none) and ``site_url_given``."""
    try:
        record = tomllib.loads((folder / STAMP).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        record = {}
    return {"site_url": str(record.get("site_url", "")), "site_url_given": record.get("site_url_given") is True}


def swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames; the old tree is removed last."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        crash_point("between-renames")
    new.rename(out)
    crash_point("after-swap")
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def writable(out: Path) -> None:
    """Refuse, with one line, an output whose parent folder cannot be written."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
        probe.rmdir()
    except OSError as exc:
        raise cannot_write(exc, parent) from None
