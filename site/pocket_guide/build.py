"""Freeze the guide into a static tree, then swap it into place.

Everything is rendered into a temporary folder beside the output; only a
complete build replaces the previous one, so a failed build leaves it
exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import warnings
from pathlib import Path
from urllib.parse import urlsplit

from flask_frozen import Freezer, MissingURLGeneratorWarning

from . import create_app
from .content import review_warnings
from .output import STAMP, cannot_write, crash_point, check_output, repair, staging_folder, swap, writable
from .precache import build_manifest, fill_service_worker
from .views import CSP

#: What a host that sends headers must send (docs/deploy/ carries the same values; tests compare
#: them). frame-ancestors works only as a header: browsers ignore it in the pages' <meta> CSP.
HOST_CSP = f"{CSP}; frame-ancestors 'none'"
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"

HEADERS_TEMPLATE = """\
# Netlify and Cloudflare Pages join the headers of every rule that matches an address, so
# the Cache-Control rules below never overlap: each hashed file is listed by name (a missing
# one gets the host's default, never a year), everything else by its top-level name.
/*
  Content-Security-Policy: {csp}
  Referrer-Policy: same-origin
  X-Content-Type-Options: nosniff
{cache_rules}"""


def cache_rules(paths: list[str]) -> list[tuple[str, str]]:
    """(address pattern, Cache-Control) for ``_headers``, from the build's file paths.

    One rule per file under static/ (hashed names) and one per other top-level name
    (``/en/*``, ``/sw.js``); no address matches two of them. A few dozen rules, well
    under Cloudflare Pages' limit of 100 for a project.
    """
    rules = {}
    for path in paths:
        first, _, rest = path.partition("/")
        if first == "static":
            rules["/" + path] = IMMUTABLE
        elif rest:
            rules[f"/{first}/*"] = REVALIDATE
        else:
            rules["/" + path] = REVALIDATE
            if path == "index.html":
                rules["/"] = REVALIDATE
    return sorted(rules.items())


def headers_file(paths: list[str]) -> str:
    """The ``_headers`` file for the build whose files are ``paths``."""
    rules = "".join(f"{pattern}\n  Cache-Control: {value}\n" for pattern, value in cache_rules(paths))
    return HEADERS_TEMPLATE.format(csp=HOST_CSP, cache_rules=rules)


def root_robots(robots: str, site_url: str) -> str | None:
    """A robots.txt for the host's root when the guide lives under a path (crawlers read only
    ``/robots.txt``); None for a guide at the root."""
    parts = urlsplit(site_url)
    if parts.path in ("", "/"):
        return None
    return (f"# Crawlers read robots.txt only at the root of a host: {parts.scheme}://{parts.netloc}/robots.txt\n"
            "# Copy this file there, or add its Sitemap line to the robots.txt already there.\n" + robots)


def make_freezer(app) -> Freezer:
    app.config.update(FREEZER_RELATIVE_URLS=False, FREEZER_REMOVE_EXTRA_FILES=False,
                      FREEZER_IGNORE_MIMETYPE_WARNINGS=False, FREEZER_DEFAULT_MIMETYPE="text/html")
    freezer = Freezer(app, with_static_files=False, with_no_argument_rules=False, log_url_for=False)
    guide = app.extensions["pocket_guide"]

    @freezer.register_generator
    def urls():
        yield "guide.chooser", {}
        yield "guide.not_found_page", {}
        yield "guide.robots", {}
        if guide.config.site_url:
            yield "guide.sitemap", {}
        yield "guide.poster", {}
        for language in guide.languages:
            yield "guide.home", {"lang": language.slug}
            for page in guide.site.pages:
                if page.slug != "index":
                    yield "guide.page", {"lang": language.slug, "slug": page.slug}
            if guide.config.site_url:
                for page in guide.site.pages:
                    yield "guide.page_qr", {"lang": language.slug, "slug": page.slug}
            yield "guide.offline", {"lang": language.slug}
            yield "guide.manifest", {"lang": language.slug}
            yield "guide.card", {"lang": language.slug}
        for old in guide.moved:
            yield "guide.home", {"lang": old}
            for page in guide.site.pages:
                if page.slug != "index":
                    yield "guide.page", {"lang": old, "slug": page.slug}
        for name in sorted(guide.assets.files):
            yield "guide.asset", {"name": name}

    return freezer


def build(root: Path, out: Path, site_url: str | None = None) -> dict:
    """Render the whole guide, then replace ``out`` with it. Returns a summary.

    ``out`` is checked before anything is read or written: the build only
    ever replaces a folder it made itself, a new one or an empty one.
    """
    check_output(out, root)
    out = out.resolve()
    writable(out)
    try:
        repair(out)  # first, so a killed swap is undone even when this build then fails
    except OSError as exc:
        raise cannot_write(exc, Path(exc.filename or out.parent)) from None
    app = create_app({"ROOT": root, "SITE_URL": site_url, "SERVICE_WORKER": True})
    guide = app.extensions["pocket_guide"]
    try:
        staging = staging_folder(out, guide.config.site_url, given=bool(site_url))
    except OSError as exc:
        raise cannot_write(exc, Path(exc.filename or out.parent)) from None
    try:
        app.config["FREEZER_DESTINATION"] = str(staging)
        freezer = make_freezer(app)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if not guide.config.site_url:  # no sitemap without a public URL, on purpose
                warnings.filterwarnings("ignore", category=MissingURLGeneratorWarning)
            urls = freezer.freeze()
        files = {p.relative_to(staging).as_posix(): p.read_bytes()
                 for p in sorted(staging.rglob("*")) if p.is_file() and p.name != STAMP}
        manifest = build_manifest(files, [lang.slug for lang in guide.languages],
                                  {old: lang.slug for old, lang in guide.moved.items()})
        template = (Path(app.config["STATIC_DIR"]) / "sw.js").read_text("utf-8")
        (staging / "sw.js").write_text(fill_service_worker(template, manifest), "utf-8")
        robots = root_robots((staging / "robots.txt").read_text("utf-8"), guide.config.site_url)
        if robots:
            (staging / "robots-root.txt").write_text(robots, "utf-8")
        paths = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*")
                       if p.is_file() and p.name != STAMP)
        (staging / "_headers").write_text(headers_file(paths), "utf-8")
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        crash_point("staged")
        check_output(out, root)  # the folder may have changed while the build ran
        swap(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise cannot_write(exc, Path(exc.filename or out), "write the build") from None
        raise
    warnings_out = review_warnings(guide.site, dt.date.today())
    if not guide.config.site_url:
        warnings_out.append("site.toml:1: warning: site_url is not set, so there are no QR codes, sitemap or "
                            "canonical links - set site_url or pass --site-url")
    return {"pages": len(urls), "languages": [lang.slug for lang in guide.languages], "warnings": warnings_out,
            "out": str(out), "version": manifest["version"]}
