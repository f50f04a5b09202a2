"""Fixtures that build real project trees in tmp_path, real builds, a real
static server and a real Chromium (Debian's, driven by Playwright)."""
from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pocket_guide import create_app
from pocket_guide.build import build
from pocket_guide.serve import serve_in_thread

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SITE_URL = "https://clinic.example/pocket/guide/"


def make_project(dest: Path, translations: bool = True, languages: tuple[str, ...] | None = None) -> Path:
    """Copy the repo's sources (content, static, config, catalogs) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "static"):
        shutil.copytree(REPO / name, dest / name)
    for name in ("site.toml", "babel.cfg"):
        shutil.copy(REPO / name, dest / name)
    (dest / "translations").mkdir()
    shutil.copy(REPO / "translations" / "messages.pot", dest / "translations" / "messages.pot")
    if translations:
        for folder in sorted((REPO / "translations").iterdir()):
            if folder.is_dir() and (languages is None or folder.name in languages):
                shutil.copytree(folder, dest / "translations" / folder.name,
                                ignore=shutil.ignore_patterns("*.mo"))
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """An English-only project tree."""
    return make_project(tmp_path / "project", translations=False)


@pytest.fixture
def project_all(tmp_path) -> Path:
    """A project tree with every shipped catalog."""
    return make_project(tmp_path / "project")


@pytest.fixture
def app(project):
    return create_app({"ROOT": project})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def built_all(tmp_path_factory) -> Path:
    """One frozen build of the real project with every language (read only)."""
    root = make_project(tmp_path_factory.mktemp("all") / "project")
    build(root, root / "build", SITE_URL)
    return root / "build"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("POCKET_GUIDE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright():
    """Playwright driving Debian's Chromium; a missing browser fails when
    POCKET_GUIDE_REQUIRE_BROWSER=1 (CI) and skips with the reason elsewhere."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def profile_context(playwright, tmp_path):
    """A context with a real (non-incognito) profile, as an installed app needs."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def serve():
    """Serve a folder like a static host under a path prefix; returns the base URL."""
    servers = []

    def start(directory: Path, prefix: str = "/clinic/guide/") -> str:
        server, url = serve_in_thread(directory, prefix)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class TextAndLinks(HTMLParser):
    """Collect a page's visible text (of <main> or all) and its URLs."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.main: list[str] = []
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0
        self._in_main = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "main":
            self._in_main += 1
        for key in ("href", "src"):
            if attrs.get(key):
                self.urls.append(attrs[key])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1
        if tag == "main":
            self._in_main -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._in_main:
                self.main.append(data)


def parse_html(html: str) -> TextAndLinks:
    parser = TextAndLinks()
    parser.feed(html)
    return parser


def page_text(html: str, main_only: bool = True) -> str:
    parsed = parse_html(html)
    return " ".join("".join(parsed.main if main_only else parsed.text).split())


def html_files(tree: Path) -> list[Path]:
    return sorted(tree.rglob("*.html"))
