"""The frozen tree as files, and served like a static host."""
from __future__ import annotations

import gzip
import re
import json
import posixpath
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from helpers import SITE_URL, html_files, parse_html
from pocket_guide.build import build
from pocket_guide.cli import main


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_freeze_writes_the_guide(project):
    summary = build(project, project / "build", SITE_URL)
    out = project / "build"
    for name in ("index.html", "en/index.html", "en/questions/index.html", "en/about/index.html",
                 "en/offline/index.html", "404.html", "sitemap.xml", "robots.txt", "sw.js", "_headers",
                 "en/manifest.webmanifest", "poster/index.html", "poster/en/index.html"):
        assert (out / name).is_file(), name
    assert summary["languages"] == ["en"]
    assert (out / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"


def test_same_inputs_give_byte_identical_output(project, tmp_path):
    build(project, tmp_path / "one", SITE_URL)
    build(project, tmp_path / "two", SITE_URL)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_rebuild_replaces_the_tree(project):
    build(project, project / "build")
    (project / "build" / "stale.html").write_text("old")
    build(project, project / "build")
    assert not (project / "build" / "stale.html").exists()


def test_cli_build_defaults_to_build_folder(project, capsys):
    assert main(["--root", str(project), "build", "--site-url", SITE_URL]) == 0
    assert "built" in capsys.readouterr().out
    assert (project / "build" / "en" / "index.html").is_file()


def internal_targets(root: Path, page: Path) -> list[tuple[str, Path, str]]:
    """(url, file it points to, fragment) for every internal link and asset of a page."""
    rel = "/" + page.relative_to(root).as_posix()
    out = []
    for url in parse_html(page.read_text("utf-8")).urls:
        if url.startswith(("http:", "https:", "mailto:", "tel:")):
            continue
        parts = urlsplit(urljoin(rel, url))
        target = root / posixpath.normpath(parts.path).lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        elif target.is_dir():
            target = target / "index.html"
        out.append((url, target, parts.fragment))
    return out


def test_every_internal_link_and_asset_resolves(built_all):
    checked = 0
    pages = html_files(built_all)
    for page in pages:
        if page.name == "404.html":
            continue  # uses the site URL's path, checked when served
        for url, target, fragment in internal_targets(built_all, page):
            assert target.is_file(), f"{page.relative_to(built_all)}: {url} -> {target}"
            if fragment and target.suffix == ".html":
                assert f'id="{fragment}"' in target.read_text("utf-8"), f"{page}: #{fragment}"
            checked += 1
    assert checked >= 10 * len(pages)


def test_manifest_and_sitemap_are_complete(built_all):
    manifest = json.loads((built_all / "en" / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    sitemap = (built_all / "sitemap.xml").read_text()
    assert f"<loc>{SITE_URL}en/questions/</loc>" in sitemap


@pytest.mark.parametrize("prefix", ["/", "/any/sub/path/"])
def test_served_under_a_subpath_every_page_and_asset_loads(built_all, serve, prefix):
    base = serve(built_all, prefix)
    pages = [p for p in html_files(built_all) if p.name != "404.html"]
    seen = set()
    for page in pages:
        url = base + page.relative_to(built_all).as_posix().removesuffix("index.html")
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
            html = response.read().decode()
        for link in parse_html(html).urls:
            if link.startswith(("http:", "https:", "tel:", "mailto:", "#")):
                continue
            full = urljoin(url, link).split("#")[0]
            if full in seen:
                continue
            seen.add(full)
            with urllib.request.urlopen(full) as response:
                assert response.status == 200, full
    reached = {full[len(base):] for full in seen}
    assert {"en/", "en/questions/", "en/about/"} <= reached
    assert {"static/" + p.name for p in (built_all / "static").iterdir() if p.suffix in (".css", ".js")} <= reached


def test_gzip_budget_of_the_english_page(built_all):
    """Loose guard only; the measured figures are in bench/ and docs/performance.md. Counts what a
    first load fetches: the page, its stylesheet and script (what app.js loads comes after the load
    event; a <noscript> link is read only without JavaScript)."""
    html = (built_all / "en" / "index.html").read_bytes()
    tags = parse_html(html.decode()).tags
    first = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
    first += [a["src"] for t, a in tags if t == "script"]
    assets = [built_all / "static" / url.rsplit("/", 1)[-1] for url in first]
    assert len(assets) == 2
    total = len(gzip.compress(html)) + sum(len(gzip.compress(p.read_bytes())) for p in assets)
    assert total <= 8 * 1024


def test_past_review_date_is_a_warning_and_shown_honestly(project, capsys):
    page = project / "content" / "questions.md"
    page.write_text(page.read_text().replace("last_reviewed: 2026-11-24", "last_reviewed: 2020-01-01")
                    .replace("next_review_due: 2027-11-24", "next_review_due: 2021-01-01"))
    assert main(["--root", str(project), "build", "--site-url", SITE_URL]) == 0
    err = capsys.readouterr().err
    assert ("content/questions.md:1: warning: next review was due on 2021-01-01 - review the page, then update "
            "last_reviewed and next_review_due") in err
    html = (project / "build" / "en" / "questions" / "index.html").read_text()
    assert "Next review due: <bdi>January 1, 2021</bdi>" in html


def test_the_clinic_chooses_which_languages_and_their_order(tmp_path):
    """site.toml ``languages``: only those are published, in that order (English, the original, always)."""
    from helpers import make_project
    from pocket_guide import create_app

    root = make_project(tmp_path / "p", languages=("de", "fr", "ar"))
    (root / "site.toml").write_text('default_language = "fr"\nlanguages = ["ar"]\n')
    client = create_app({"ROOT": root}).test_client()
    html = client.get("/").get_data(as_text=True)
    assert re.findall(r'data-choose="([^"]+)"', html) == ["fr", "ar", "en"]
    assert '<html lang="fr"' in html
    assert client.get("/de/").status_code == 404, "a catalog the clinic did not choose is not published"
    (root / "site.toml").write_text('default_language = "fr"\n')
    html = create_app({"ROOT": root}).test_client().get("/").get_data(as_text=True)
    assert re.findall(r'data-choose="([^"]+)"', html) == ["fr", "ar", "de", "en"], "all by default"
