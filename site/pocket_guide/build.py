"""Freeze the guide into a static tree, then swap it into place.

Everything is rendered into a temporary folder beside the output; only a
complete build replaces the previous one, so a failed build leaves it
exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from flask_frozen import Freezer, MissingURLGeneratorWarning

from . import create_app
from .content import review_warnings
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
    """Render the whole guide, then replace ``out`` with it. Returns a summary."""
    app = create_app({"ROOT": root, "SITE_URL": site_url, "SERVICE_WORKER": True})
    guide = app.extensions["pocket_guide"]
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        app.config["FREEZER_DESTINATION"] = str(staging)
        freezer = make_freezer(app)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if not guide.config.site_url:  # no sitemap without a public URL, on purpose
                warnings.filterwarnings("ignore", category=MissingURLGeneratorWarning)
            urls = freezer.freeze()
        files = {p.relative_to(staging).as_posix(): p.read_bytes()
                 for p in sorted(staging.rglob("*")) if p.is_file()}
        manifest = build_manifest(files, [lang.slug for lang in guide.languages])
        template = (Path(app.config["STATIC_DIR"]) / "sw.js").read_text("utf-8")
        (staging / "sw.js").write_text(fill_service_worker(template, manifest), "utf-8")
        from .views import CSP
        (staging / "_headers").write_text(HEADERS_TEMPLATE.format(csp=CSP), "utf-8")
        for path in staging.rglob("*"):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        os.chmod(staging, 0o755)
        swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    warnings_out = review_warnings(guide.site, dt.date.today())
    if not guide.config.site_url:
        warnings_out.append("site.toml:1: warning: site_url is not set, so there are no QR codes, sitemap or "
                            "canonical links - set site_url or pass --site-url")
    return {"pages": len(urls), "languages": [lang.slug for lang in guide.languages], "warnings": warnings_out,
            "out": str(out), "version": manifest["version"]}


def swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames; the old tree is removed last."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    new.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
