"""The output folder is the user's: the build replaces only what it made,
refuses anything else with one line, and survives being killed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import read_only, snapshot
from pocket_guide.cli import main



def freeze(project: Path) -> list[str]:
    return [sys.executable, "-m", "pocket_guide", "--root", str(project), "build"]


def run_build(project: Path, out: str | Path, capsys) -> tuple[int, str, str]:
    code = main(["--root", str(project), "build", "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused(err: str, expected: str) -> None:
    assert err.strip() == expected
    assert "Traceback" not in err


def assert_whole_build(out: Path) -> None:
    for name in ("index.html", "en/index.html", "sw.js", "_headers", ".pocket-guide-build"):
        assert (out / name).is_file(), name


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_folder_with_user_files_is_refused_and_untouched(project, tmp_path, capsys):
    docs = tmp_path / "Documents"
    (docs / "letters").mkdir(parents=True)
    (docs / "README.md").write_text("mine")
    (docs / "letters" / "a.txt").write_bytes(b"\x00\x01 private")
    (docs / "taxes.pdf").write_bytes(b"%PDF")
    (docs / "z.txt").write_text("z")
    before = snapshot(tmp_path)
    code, out, err = run_build(project, docs, capsys)
    assert code == 1 and out == ""
    assert_refused(err, f"{docs}: is not a pocket-guide build (it holds README.md, letters, taxes.pdf, ...) "
                        "- choose an empty or new folder")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", [".", "..", "content"])
def test_the_project_and_its_parents_are_refused(project, capsys, target):
    """``--out .`` once deleted .git, content/ and translations/."""
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = snapshot(project.parent)
    code, _, err = run_build(project, project / target, capsys)
    assert code == 1
    expected = {".": f"{project}: is the project folder, which the build never replaces - choose an empty or "
                     "new folder, such as build/",
                "..": f"{project.parent}: contains the project folder, which the build never replaces - choose an "
                      "empty or new folder, such as build/",
                "content": f"{project}/content: is not a pocket-guide build (it holds about.md, index.md, "
                           "questions.md, ...) - choose an empty or new folder"}[target]
    assert_refused(err, expected)
    assert snapshot(project.parent) == before


def test_the_home_folder_and_the_root_are_refused_even_when_empty(project, tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    code, _, err = run_build(project, home, capsys)
    assert code == 1
    assert_refused(err, f"{home}: is your home folder, which the build never replaces - choose an empty or new "
                        "folder, such as build/")
    assert list(home.iterdir()) == []
    code, _, err = run_build(project, "/", capsys)
    assert code == 1
    assert_refused(err, "/: is the root of the file system, which the build never replaces - choose an empty or "
                        "new folder, such as build/")


def test_a_file_and_a_symlink_are_refused(project, tmp_path, capsys):
    file = tmp_path / "guide.html"
    file.write_text("keep me")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    before = snapshot(tmp_path)
    code, _, err = run_build(project, file, capsys)
    assert code == 1
    assert_refused(err, f"{file}: is a file, not a folder - choose an empty or new folder")
    code, _, err = run_build(project, link, capsys)
    assert code == 1
    assert_refused(err, f"{link}: is a symbolic link, which the build will not replace - name the real folder, "
                        "or a new one")
    assert snapshot(tmp_path) == before


def test_new_empty_and_own_folders_are_built(project, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "deeper", empty, empty):  # the last one: a rebuild over its own build
        code, _, err = run_build(project, out, capsys)
        assert code == 0, err
        assert_whole_build(out)
        assert leftovers(out) == []


def test_a_read_only_parent_gives_one_line(project, tmp_path, capsys):
    parent = tmp_path / "locked"
    parent.mkdir()
    with read_only(parent):
        code, _, err = run_build(project, parent / "build", capsys)
    assert code == 1
    assert_refused(err, f"{parent}: cannot write there (Operation not permitted) - choose a folder you can "
                        "write to, or fix its permissions"
                   if os.geteuid() == 0 else
                   f"{parent}: cannot write there (Permission denied) - choose a folder you can write to, or fix "
                   "its permissions")
    assert list(parent.iterdir()) == []


def test_a_read_only_previous_build_is_left_as_it_was(project, tmp_path, capsys):
    out = tmp_path / "site"
    assert run_build(project, out, capsys)[0] == 0
    before = snapshot(tmp_path)
    with read_only(tmp_path):
        code, _, err = run_build(project, out, capsys)
    assert code == 1
    assert err.startswith(f"{tmp_path}: cannot write there (") and err.count("\n") == 1
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("point", ["staged", "between-renames", "after-swap"])
def test_a_killed_build_is_repaired_by_the_next(project, tmp_path, point):
    out = tmp_path / "site"
    subprocess.run([*freeze(project), "--out", str(out)], cwd=project, check=True, capture_output=True)
    (out / "en" / "index.html").write_text("previous build")  # to tell the two builds apart
    killed = subprocess.run([*freeze(project), "--out", str(out)], cwd=project, capture_output=True,
                            env={**os.environ, "POCKET_GUIDE_CRASH_AT": point})
    assert killed.returncode == -9
    assert leftovers(out)  # the kill left something to clean up
    again = subprocess.run([*freeze(project), "--out", str(out)], cwd=project, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert_whole_build(out)
    assert (out / "en" / "index.html").read_text() != "previous build"
    assert leftovers(out) == []


def test_between_the_renames_the_previous_build_comes_back(project, tmp_path, capsys):
    """Killed with the old tree moved aside, the next run restores it before it builds."""
    out = tmp_path / "site"
    subprocess.run([*freeze(project), "--out", str(out)], cwd=project, check=True, capture_output=True)
    subprocess.run([*freeze(project), "--out", str(out)], cwd=project, capture_output=True,
                   env={**os.environ, "POCKET_GUIDE_CRASH_AT": "between-renames"})
    assert not out.exists()
    (project / "site.toml").write_text('brand_colour = "teal"\n')  # this build fails before it swaps
    code, _, err = run_build(project, out, capsys)
    assert code == 1 and "brand_colour" in err
    assert_whole_build(out)  # the previous build is back in place
    assert leftovers(out) == []
