"""Fixtures that build real project trees in tmp_path, real builds, a real
static server and a real Chromium (Debian's, driven by Playwright)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS, SITE_URL, make_project, requires
from pocket_guide import create_app
from pocket_guide.build import build
from pocket_guide.serve import serve_in_thread


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


@pytest.fixture(scope="session")
def playwright():
    """Playwright driving Debian's Chromium; a missing browser fails under CI
    and skips with the reason elsewhere."""
    requires("chromium")
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




BROWSER_FIXTURES = {"playwright", "browser", "profile_context"}


def pytest_collection_modifyitems(items):
    """Every test that drives a browser carries the ``browser`` marker: ``pytest -m "not browser"`` is the fast loop."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
