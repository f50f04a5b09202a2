"""The site's URL scheme: the one place where an address is decided.

Every function returns a site path (from the site root, starting with
``/``). Views, templates, the sitemap, the precache list and QR codes all
ask here, then turn the path into a link with ``relative`` or ``absolute``.
"""
from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

#: Page slugs the scheme uses for its own pages under a language.
RESERVED_SLUGS = frozenset({"offline"})


def chooser() -> str:
    return "/"


def page(lang: str, slug: str = "index") -> str:
    """A content page of a language; ``index`` is the language's home."""
    return f"/{lang}/" if slug == "index" else f"/{lang}/{slug}/"


def page_qr(lang: str, slug: str = "index") -> str:
    """The QR code (SVG) of a content page, beside it."""
    return page(lang, slug) + "qr.svg"


def offline(lang: str) -> str:
    return f"/{lang}/offline/"


def manifest(lang: str) -> str:
    return f"/{lang}/manifest.webmanifest"


def poster() -> str:
    return "/poster/"


def card(lang: str) -> str:
    return f"/poster/{lang}/"


def asset(hashed_name: str) -> str:
    return f"/static/{hashed_name}"


def service_worker() -> str:
    return "/sw.js"


def sitemap() -> str:
    return "/sitemap.xml"


def not_found() -> str:
    return "/404.html"


def relative(target: str, current: str) -> str:
    """``target`` as a link from the page at ``current`` (both site paths)."""
    folder = current if current.endswith("/") else posixpath.dirname(current) + "/"
    path = posixpath.relpath(target, folder)
    if target.endswith("/"):
        path = "./" if path == "." else path + "/"
    return path


def absolute(target: str, site_url: str) -> str:
    """``target`` as a full URL under the public site URL ('' without one)."""
    return site_url + target.lstrip("/") if site_url else ""


def rooted(target: str, site_url: str) -> str:
    """``target`` from the host's root (for 404.html, served at any depth); relative without a site URL."""

    base = urlsplit(site_url).path if site_url else ""
    return base + target.lstrip("/") if base else ""
