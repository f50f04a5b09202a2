"""What the build writes for hosts: the ``_headers`` file, read the way Netlify and
Cloudflare Pages read it, and the robots.txt snippet for a guide under a path."""
from __future__ import annotations

import re

import pytest

from pocket_guide.build import HOST_CSP, IMMUTABLE, REVALIDATE, build
from pocket_guide.output import STAMP
from servers import CONFIGS, DEPLOY

#: Not pages of the guide: the hosts read _headers and never serve it; the build's own mark.
NOT_SERVED = {"_headers", STAMP}


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Rules as both hosts document them: a path at column 0, then indented ``Name: value`` lines."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line, []))
            continue
        name, colon, value = line.strip().partition(":")
        assert colon and rules, f"_headers:{number}: {line!r} is neither a path nor an indented 'Name: value'"
        rules[-1][1].append((name.strip(), value.strip()))
    return rules


def matches(rule: str, path: str) -> bool:
    """``*`` matches any rest of the path (slashes too), ``:name`` one segment."""
    pattern = "".join(".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
                      for part in re.split(r"(\*|:\w+)", rule))
    return re.fullmatch(pattern, path) is not None


def headers_for(rules, path: str) -> dict[str, list[str]]:
    """The headers a host sends for ``path``: every matching rule's, duplicates joined."""
    joined: dict[str, list[str]] = {}
    for rule, headers in rules:
        if matches(rule, path):
            for name, value in headers:
                joined.setdefault(name.lower(), []).append(value)
    return joined


def addresses(relpath: str) -> list[str]:
    """The addresses a file is served at (a folder's index.html also by the folder's name)."""
    if relpath == "index.html" or relpath.endswith("/index.html"):
        return ["/" + relpath.removesuffix("index.html"), "/" + relpath]
    return ["/" + relpath]


def test_the_matcher_follows_the_documented_rules():
    assert matches("/*", "/") and matches("/*", "/en/about/") and matches("/static/*", "/static/a.css")
    assert matches("/:lang/about/", "/en/about/") and not matches("/:lang/about/", "/en/x/about/")
    assert not matches("/static/*", "/en/static/a.css") and not matches("/sw.js", "/sw.jsx")


@pytest.fixture(scope="module")
def rules(built_all):
    return parse_headers((built_all / "_headers").read_text("utf-8"))


def test_every_file_gets_one_cache_control_the_right_one(built_all, rules):
    files = [p.relative_to(built_all).as_posix() for p in sorted(built_all.rglob("*")) if p.is_file()]
    wrong = []
    for relpath in files:
        if relpath in NOT_SERVED:
            continue
        expected = {"cache-control": [IMMUTABLE if relpath.startswith("static/") else REVALIDATE],
                    "content-security-policy": [HOST_CSP], "referrer-policy": ["same-origin"],
                    "x-content-type-options": ["nosniff"]}
        wrong += [f"{path}: {headers_for(rules, path)}" for path in addresses(relpath)
                  if headers_for(rules, path) != expected]
    assert len(files) > 70
    assert not wrong, "headers the hosts would send, joined:\n" + "\n".join(wrong)


def test_a_missing_file_is_never_kept_for_a_year(rules):
    """A missing hashed file gets the host's default cache rule; elsewhere, no-cache."""
    assert "cache-control" not in headers_for(rules, "/static/app.0123456789.js")
    assert "cache-control" not in headers_for(rules, "/no-such-file")
    assert headers_for(rules, "/en/no-such-page/")["cache-control"] == [REVALIDATE]


def test_the_file_stays_within_cloudflare_pages_limits(built_all, rules):
    assert len(rules) <= 100
    assert max(map(len, (built_all / "_headers").read_text("utf-8").splitlines())) <= 2000


@pytest.mark.parametrize("name", sorted({file for pair in CONFIGS.values() for file in pair}))
def test_every_server_config_sends_the_same_csp(name):
    """frame-ancestors only works as a header: every host config sends the build's CSP."""
    assert "frame-ancestors 'none'" in HOST_CSP
    text = (DEPLOY / name).read_text("utf-8")
    assert re.findall(r"Content-Security-Policy \"([^\"]*)\"", text) == [HOST_CSP]


def test_a_guide_under_a_path_gets_a_robots_txt_for_the_root(built_all):
    sitemap = "https://clinic.example/pocket/guide/sitemap.xml"
    snippet = (built_all / "robots-root.txt").read_text("utf-8")
    assert "https://clinic.example/robots.txt" in snippet
    lines = [line for line in snippet.splitlines() if not line.startswith("#")]
    assert lines == ["User-agent: *", "Allow: /", f"Sitemap: {sitemap}"]
    assert f"Sitemap: {sitemap}" in (built_all / "robots.txt").read_text("utf-8").splitlines()
    assert "robots-root" not in (built_all / "sw.js").read_text("utf-8"), "not saved on phones"


def test_a_guide_at_the_root_needs_no_robots_snippet(project, tmp_path):
    build(project, tmp_path / "out", "https://clinic.example/")
    assert not (tmp_path / "out" / "robots-root.txt").exists()
    assert "Sitemap: https://clinic.example/sitemap.xml" in (tmp_path / "out" / "robots.txt").read_text()
    rules = parse_headers((tmp_path / "out" / "_headers").read_text("utf-8"))
    assert headers_for(rules, "/")["cache-control"] == [REVALIDATE]
