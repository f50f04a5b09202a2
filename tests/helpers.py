"""Helpers shared by the tests: project trees, HTML parsing, and the one
gate for external tools."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = "/usr/bin/chromium"

#: Every external tool a test may need: the program, and the Debian package that brings it
#: (``make test`` installs them all from ``scripts/system-packages.txt``).
TOOLS = {
    "chromium": ("/usr/bin/chromium", "chromium"),
    "java": ("java", "default-jre-headless"),
    "pdftoppm": ("pdftoppm", "poppler-utils"),
    "pdfinfo": ("pdfinfo", "poppler-utils"),
    "pdftotext": ("pdftotext", "poppler-utils"),
    "chattr": ("chattr", "e2fsprogs"),
    "nginx": ("/usr/sbin/nginx", "nginx-light"),
    "apache2": ("/usr/sbin/apache2", "apache2"),
    "caddy": ("caddy", "caddy"),
    "xvfb": ("Xvfb", "xvfb"),
    "dbus-daemon": ("dbus-daemon", "dbus-daemon"),
    "at-spi": ("/usr/libexec/at-spi-bus-launcher", "at-spi2-core"),
    "pyatspi": ("/usr/lib/python3/dist-packages/pyatspi", "python3-pyatspi"),
    "orca": ("orca", "orca"),
    "webkitdriver": ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
    "minibrowser": ("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "webkit2gtk-driver"),
    "firefox": ("/usr/bin/firefox-esr", "firefox-esr"),
    "node": ("node", "nodejs"),
}


def strict() -> bool:
    """Under CI a missing tool fails the test instead of skipping it."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def requires(*names: str) -> None:
    """The one gate for external tools: skip with the reason locally, fail under CI."""
    for name in names:
        program, package = TOOLS[name]
        if not (Path(program).exists() if program.startswith("/") else shutil.which(program)):
            reason = f"{program} is missing: install Debian's {package} package (make test does this as root)"
            if strict():
                pytest.fail(reason)
            pytest.skip(reason)


@contextmanager
def read_only(folder: Path):
    """Make ``folder`` unwritable, for root too (root ignores mode bits: use the immutable flag)."""
    if os.geteuid() == 0:
        requires("chattr")
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)
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
        self._noscript = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # What only a browser without JavaScript reads is named so ("noscript>link").
        self.tags.append((f"noscript>{tag}" if self._noscript else tag, attrs))
        self._noscript += tag == "noscript"
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "main":
            self._in_main += 1
        for key in ("href", "src", "data-src", "data-css", "data-print", "data-tools"):  # data-*: what app.js loads after the page
            if attrs.get(key):
                self.urls.append(attrs[key])

    def handle_endtag(self, tag):
        self._noscript -= tag == "noscript"
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


def snapshot(folder: Path) -> dict[str, object]:
    """Every file's bytes, folder and link below ``folder``, to compare before and after."""
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        out[key] = (f"-> {os.readlink(path)}" if path.is_symlink() else
                    path.read_bytes() if path.is_file() else "<dir>")
    return out


class ServedBuild:
    """A project built for SITE_URL and served by the project's own server under ``prefix``;
    ``stop()`` cuts the network (the saved copy must then serve), ``start()`` brings it back."""

    def __init__(self, folder: Path, languages: tuple[str, ...], prefix: str = "/clinic/guide/"):
        from pocket_guide.build import build

        self.project = make_project(folder, languages=languages)
        self.out = self.project / "build"
        self.prefix = prefix
        build(self.project, self.out, SITE_URL)

    def start(self) -> str:
        from pocket_guide.serve import serve_in_thread

        self.server, self.url = serve_in_thread(self.out, self.prefix)
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "ServedBuild":
        """Served for the ``with`` block (a test may ``stop()`` it inside)."""
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace ``old`` (which must be there) by ``new`` in content/``path``, and build again."""
        from pocket_guide.build import build

        source = self.project / "content" / path
        text = source.read_text()
        assert old in text
        source.write_text(text.replace(old, new))
        build(self.project, self.out, SITE_URL)

    def title(self, path: str) -> str:
        """The <h1> the build wrote for ``path`` (``ar/about/``)."""
        html = (self.out / path / "index.html").read_text(encoding="utf-8")
        return re.search(r"<h1>(.*?)</h1>", html).group(1)


def unhashed(url: str) -> str:
    """A hashed asset's address by its logical name (``.../static/tools.2956cdcf4f.js`` ->
    ``tools.js``, as static/ holds it); any other address as it is."""
    if "static/" not in url:
        return url
    stem, _, ext = url.rpartition("static/")[2].partition(".")
    return f"{stem}.{ext.rpartition('.')[2]}"


#: True once a guide page's print stylesheet (which app.js adds after the load event) and its
#: printed code (an image fetched after the load event) have arrived: what a reader who prints
#: a moment after the page appeared gets.
PRINT_READY = """() => {
  const sheet = document.querySelector('link[rel="stylesheet"][media="print"]');
  const codes = [...document.querySelectorAll('img.qr')];
  return Boolean(sheet && sheet.sheet) && codes.every((img) => img.complete && img.naturalWidth > 0);
}"""


def ready_to_print(page) -> None:
    """Wait (Playwright page) until the page would print as designed: see PRINT_READY."""
    page.wait_for_function(PRINT_READY)
