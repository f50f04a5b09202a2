"""The nginx, Apache and Caddy configs in docs/deploy/, run for real: every file of a build
gets the right type and cache rule, unknown addresses the guide's 404 page, and a phone
that visited once opens the guide with the server gone."""
from __future__ import annotations

import html
import http.client
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from helpers import make_project, requires
from pocket_guide.build import HOST_CSP, IMMUTABLE, REVALIDATE, build
from servers import CONFIGS, config_lines, launch

pytestmark = pytest.mark.servers

DEPLOYS = {"subpath": "/clinic/guide/", "root": "/"}
HTML = ("text/html; charset=utf-8",)
JAVASCRIPT = ("text/javascript", "application/javascript")
BY_SUFFIX = {".css": ("text/css",), ".js": JAVASCRIPT, ".png": ("image/png",), ".svg": ("image/svg+xml",)}


@pytest.fixture(scope="module")
def builds():
    """``builds(prefix)``: a build with every language whose site_url has that path.

    It lives outside pytest's temp folder, which only its owner may enter: nginx's and
    Apache's workers drop root for nobody and www-data, who must read the files."""
    folder = Path(tempfile.mkdtemp(prefix="pocket-guide-servers-"))
    folder.chmod(0o755)
    made: dict[str, Path] = {}

    def get(prefix: str) -> Path:
        if prefix not in made:
            root = make_project(folder / f"project-{len(made)}")
            build(root, root / "build", "https://clinic.example" + prefix)
            made[prefix] = root / "build"
        return made[prefix]

    yield get
    shutil.rmtree(folder)


@pytest.fixture(scope="module", params=[(s, d) for s in CONFIGS for d in DEPLOYS], ids="-".join)
def served(request, builds, tmp_path_factory):
    """One running server per (server, deploy), shared by the HTTP tests."""
    name, deploy = request.param
    requires(name)
    server = launch(name, builds(DEPLOYS[deploy]), DEPLOYS[deploy], tmp_path_factory.mktemp(name))
    yield server
    server.stop()


@dataclass
class Reply:
    url: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


def fetch(url: str, headers: dict[str, str] | None = None) -> Reply:
    """GET ``url`` without following redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path, headers=headers or {})
        response = connection.getresponse()
        return Reply(url, response.status, response.headers, response.read())
    finally:
        connection.close()


def type_matches(found: str, allowed: tuple[str, ...]) -> bool:
    """``allowed`` with a parameter must match whole; without one, the media type is enough."""
    full = found.lower().replace(" ", "")
    return any(full == want.replace(" ", "") if ";" in want else full.split(";")[0] == want for want in allowed)


def problems(reply: Reply, status: int | tuple[int, ...], types: tuple[str, ...] | None, cache: str) -> list[str]:
    """What is wrong with one response; the security headers and one Cache-Control always."""
    found = []
    if reply.status not in (status if isinstance(status, tuple) else (status,)):
        found.append(f"status {reply.status}, expected {status}")
    content_type = reply.headers.get("Content-Type", "")
    if types and not type_matches(content_type, types):
        found.append(f"Content-Type {content_type!r}, expected one of {types}")
    expected = {"Cache-Control": [cache], "Content-Security-Policy": [HOST_CSP],
                "Referrer-Policy": ["same-origin"], "X-Content-Type-Options": ["nosniff"]}
    found += [f"{name}: {reply.all(name)}, expected {values}" for name, values in expected.items()
              if reply.all(name) != values]
    return [f"{reply.url}: {problem}" for problem in found]


def check(server, paths: list[str], status: int | tuple[int, ...] = 200, types: tuple[str, ...] | None = None,
          cache: str = REVALIDATE, headers: dict[str, str] | None = None) -> list[Reply]:
    """Fetch every path under the server's prefix and fail with every problem at once."""
    replies = [fetch(server.url + path, headers) for path in paths]
    found = [problem for reply in replies for problem in problems(reply, status, types, cache)]
    assert not found, (f"{len(found)} problem(s) through {server.name}:\n" + "\n".join(found[:15])
                       + (f"\n... and {len(found) - 15} more" if len(found) > 15 else ""))
    return replies


def address(relpath: str) -> str:
    """The address a file is asked for: folders by their own name, as links in the guide do."""
    return relpath.removesuffix("index.html")


def test_every_page_is_html_that_revalidates(served):
    pages = [address(p.relative_to(served.build).as_posix()) for p in sorted(served.build.rglob("*.html"))]
    assert len(pages) > 50
    check(served, pages, types=HTML)


def test_service_worker_manifests_sitemap_and_robots(served):
    check(served, ["sw.js"], types=JAVASCRIPT)
    manifests = sorted(p.relative_to(served.build).as_posix() for p in served.build.glob("*/manifest.webmanifest"))
    assert len(manifests) > 5
    check(served, manifests, types=("application/manifest+json",))
    check(served, ["sitemap.xml"], types=("application/xml", "text/xml"))
    robots = ["robots.txt"] + (["robots-root.txt"] if (served.build / "robots-root.txt").is_file() else [])
    check(served, robots, types=("text/plain",))


def test_hashed_assets_are_kept_for_a_year_even_when_revalidated(served):
    assets = sorted((served.build / "static").iterdir())
    assert {path.suffix for path in assets} == set(BY_SUFFIX)
    for suffix, types in BY_SUFFIX.items():
        check(served, [f"static/{p.name}" for p in assets if p.suffix == suffix], types=types, cache=IMMUTABLE)
    first = fetch(served.url + f"static/{assets[0].name}")
    validator = ({"If-None-Match": first.headers["ETag"]} if first.headers["ETag"]
                 else {"If-Modified-Since": first.headers["Last-Modified"]})
    check(served, [f"static/{assets[0].name}"], status=304, cache=IMMUTABLE, headers=validator)


@pytest.mark.parametrize("path", ["static/app.0123456789.js", "static/missing.css", "en/no-such-page/",
                                  "no-such-file.html", "xx/manifest.webmanifest"])
def test_unknown_addresses_get_the_guides_404_page_never_kept(served, path):
    [reply] = check(served, [path], status=404, types=HTML, cache=REVALIDATE)
    assert reply.body == (served.build / "404.html").read_bytes(), f"{reply.url}: not the guide's 404.html"


def test_a_folder_without_its_slash_redirects_to_it(served):
    folders = ["en", "en/questions", "poster"]
    for reply in check(served, folders, status=(301, 302, 307, 308)):
        assert urljoin(reply.url, reply.headers["Location"]) == reply.url + "/"


def test_the_static_folder_is_not_listed_or_kept(served):
    [reply] = check(served, ["static/"], status=(403, 404))
    names = [path.name.encode() for path in (served.build / "static").iterdir()]
    assert not all(name in reply.body for name in names), f"{reply.url} lists the folder"


@pytest.mark.parametrize("name", CONFIGS)
def test_each_whole_config_holds_its_snippet_unchanged(name):
    snippet, whole = (config_lines(file) for file in CONFIGS[name])
    starts = [i for i in range(len(whole)) if whole[i:i + len(snippet)] == snippet]
    assert starts, f"docs/deploy/{CONFIGS[name][1]} no longer contains docs/deploy/{CONFIGS[name][0]}"


def wait_until_saved(page, lang: str) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=15000)
    page.wait_for_function(f"document.documentElement.dataset.saved === '{lang}'", timeout=15000)


def heading_of(page_file: Path) -> str:
    inner = re.search(r"<h1[^>]*>(.*?)</h1>", page_file.read_text("utf-8"), re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).split())


@pytest.mark.parametrize("name,deploy", [("nginx", "subpath"), ("apache2", "subpath"), ("caddy", "subpath"),
                                         ("caddy", "root")])
def test_after_one_visit_the_guide_opens_with_the_server_stopped(name, deploy, builds, browser, tmp_path):
    requires(name)
    site = builds(DEPLOYS[deploy])
    server = launch(name, site, DEPLOYS[deploy], tmp_path)
    # bypass_csp only lets Playwright's wait_for_function run; the server's CSP is checked above.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    try:
        page = context.new_page()
        for lang in ("en", "ar"):
            page.goto(server.url + f"{lang}/")
            wait_until_saved(page, lang)
        assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)") == server.url
        server.stop()
        assert server.process.poll() is not None
        page.reload()
        assert page.evaluate("document.documentElement.dataset.lang") == "ar"
        for path in ("ar/questions/", "en/about/"):
            page.goto(server.url + path)
            assert page.locator("h1").first.inner_text() == heading_of(site / path / "index.html"), path
    finally:
        context.close()
        server.stop()
