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

from flask_frozen import Freezer, MissingURLGeneratorWarning

from . import create_app
from .content import review_warnings
from .output import STAMP, cannot_write, crash_point, check_output, repair, staging_folder, swap, writable
from .precache import build_manifest, fill_service_worker

HEADERS_TEMPLATE = """\
/*
  Content-Security-Policy: {csp}
  Referrer-Policy: same-origin
  X-Content-Type-Options: nosniff
  Cache-Control: no-cache
/static/*
  Cache-Control: public, max-age=31536000, immutable
"""


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
            yield "guide.offline", {"lang": language.slug}
            yield "guide.manifest", {"lang": language.slug}
            yield "guide.card", {"lang": language.slug}
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
        staging = staging_folder(out)
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
        manifest = build_manifest(files, [lang.slug for lang in guide.languages])
        template = (Path(app.config["STATIC_DIR"]) / "sw.js").read_text("utf-8")
        (staging / "sw.js").write_text(fill_service_worker(template, manifest), "utf-8")
        from .views import CSP
        (staging / "_headers").write_text(HEADERS_TEMPLATE.format(csp=CSP), "utf-8")
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
