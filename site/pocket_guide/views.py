"""The guide's pages: chooser, content pages, offline and error pages,
manifests, sitemap, posters and hashed assets."""
from __future__ import annotations

import json
import mimetypes

from flask import Blueprint, Response, abort, g, render_template
from flask_babel import force_locale, format_date, refresh
from markupsafe import Markup

from . import qr
from .render import absolute, guide, page_path, page_text, relative, render_body
# Imported under the standard gettext names so `pybabel extract` finds the strings.
from .render import ui_markup as _
from .render import ui_text as gettext

bp = Blueprint("guide", __name__)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'self'; "
       "form-action 'none'; object-src 'none'")
UNTRANSLATED = "<!--notice:untranslated-->"


@bp.before_app_request
def fresh_request_state():
    """Start each request clean: Frozen-Flask renders every page inside one
    app context, so anything left on ``g`` (the language, Flask-Babel's
    cached locale) would leak into the next page."""
    for name in list(g):
        g.pop(name)


def use_language(language):
    g.language = language
    refresh()
    return language


def language_or_404(slug: str):
    language = guide().language(slug)
    if language is None:
        abort(404)
    return use_language(language)


def alternates(path_for) -> list[dict]:
    """hreflang links for every language, plus x-default."""
    out = []
    for language in guide().languages:
        target = path_for(language)
        out.append({"hreflang": language.tag, "href": absolute(target) or relative(target),
                    "language": language, "path": target})
    default = guide().default_language
    target = path_for(default)
    out.append({"hreflang": "x-default", "href": absolute(target) or relative(target),
                "language": default, "path": target})
    return out


def show(template: str, **context) -> str:
    """Render a page; then, if any string fell back to English, say so."""
    g.fallbacks = 0
    language = g.language
    context.setdefault("canonical", absolute(context["path"]) if context.get("path") else "")
    html = render_template(template, csp=CSP, language=language, guide=guide(), **context)
    if g.fallbacks and not language.is_source:
        english = context.get("english_url", relative(f"/{guide().source_language.slug}/"))
        notice = render_template("notice_untranslated.html", english_url=english)
        html = html.replace(UNTRANSLATED, notice, 1)
    return html


def per_language(make) -> list:
    """``make(language)`` for every language, each in its own locale, in menu order."""
    out = []
    for language in guide().languages:
        with force_locale(language.code):
            use_language(language)
            out.append(make(language))
    use_language(guide().default_language)
    return out


def page_context(language, slug: str) -> dict:
    site_page = guide().site.page(slug)
    path = page_path(language, slug)

    def directive(name: str) -> str:
        return render_template(f"directives/{name}.html", page=site_page, language=language,
                               guide=guide(), path=path)

    return {
        "page": site_page, "path": path, "slug": slug,
        "body": render_body(site_page, directive),
        "alternates": alternates(lambda lang: page_path(lang, slug)),
        "english_url": relative(page_path(guide().source_language, slug)),
    }


@bp.route("/")
def chooser():
    entries = per_language(lambda language: {
        "language": language, "title": page_text(guide().site.page("index").title),
        "href": relative(f"/{language.slug}/")})
    return show("chooser.html", path="/", entries=entries, hide_language_menu=True,
                alternates=alternates(lambda lang: f"/{lang.slug}/"))


@bp.route("/<lang>/")
def home(lang: str):
    return page(lang, "index")


@bp.route("/<lang>/<slug>/")
def page(lang: str, slug: str):
    language = language_or_404(lang)
    if guide().site.page(slug) is None:
        abort(404)
    return show("page.html", **page_context(language, slug))


@bp.route("/<lang>/offline/")
def offline(lang: str):
    language = language_or_404(lang)
    path = f"/{language.slug}/offline/"
    return show("offline.html", path=path, canonical="", robots="noindex",
                alternates=alternates(lambda l: f"/{l.slug}/offline/"),
                english_url=relative(f"/{guide().source_language.slug}/offline/"))


@bp.route("/404.html")
def not_found_page():
    use_language(guide().default_language)
    g.absolute = bool(guide().absolute_base)
    return show("404.html", path="/404.html", canonical="", robots="noindex", alternates=[])


@bp.app_errorhandler(404)
def not_found(error):
    return not_found_page(), 404


@bp.route("/<lang>/manifest.webmanifest")
def manifest(lang: str):
    language = language_or_404(lang)
    icons = [{"src": relative(asset_path(n)), "sizes": s, "type": "image/png", "purpose": p}
             for n, s, p in (("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
                             ("icon-maskable-512.png", "512x512", "maskable"))]
    icons.append({"src": relative(asset_path("icon.svg")), "sizes": "any", "type": "image/svg+xml",
                  "purpose": "any"})
    data = {
        "id": "./", "name": str(gettext("Pocket guide: fillers for cellulite")),
        "short_name": str(gettext("Filler guide")), "description": str(page_text(
            guide().site.page("index").description, marked=False)),
        "lang": language.tag, "dir": language.dir, "start_url": "./", "scope": "./",
        "display": "standalone", "theme_color": guide().config.brand_colour,
        "background_color": "#ffffff", "icons": icons,
    }
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return Response(body, mimetype="application/manifest+json")


def asset_path(name: str) -> str:
    return "/static/" + guide().assets.names[name]


@bp.route("/static/<name>")
def asset(name: str):
    data = guide().assets.files.get(name)
    if data is None:
        abort(404)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(data, mimetype=mimetype)


@bp.route("/sitemap.xml")
def sitemap():
    if not guide().config.site_url:
        abort(404)
    use_language(guide().default_language)
    urls = []
    for site_page in guide().site.pages:
        group = [(lang, absolute(page_path(lang, site_page.slug))) for lang in guide().languages]
        for _language, loc in group:
            urls.append({"loc": loc, "lastmod": site_page.last_reviewed.isoformat(), "alternates": group})
    body = render_template("sitemap.xml", urls=urls, default=absolute(f"/{guide().default_language.slug}/"))
    return Response(body, mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Allow: /"]
    if guide().config.site_url:
        lines.append(f"Sitemap: {absolute('/sitemap.xml')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.route("/poster/")
def poster():
    entries = per_language(lambda language: {
        "language": language,
        "line": _("Scan to read this guide in %(language)s", language=language.name_in_text),
        "qr": qr.code(absolute(f"/{language.slug}/"), language.name)})
    return show("poster.html", path="/poster/", canonical="", robots="noindex", entries=entries,
                alternates=[])


@bp.route("/poster/<lang>/")
def card(lang: str):
    language = language_or_404(lang)
    return show("card.html", path=f"/poster/{language.slug}/", canonical="", robots="noindex",
                qr_code=qr.code(absolute(f"/{language.slug}/"), language.name),
                url=absolute(f"/{language.slug}/"), alternates=[])


def format_day(day) -> str:
    return format_date(day, format="long")


@bp.app_template_global()
def asset_url(name: str) -> str:
    return relative(asset_path(name))


@bp.app_template_global()
def link(target: str) -> str:
    return relative(target)


@bp.app_template_global()
def print_qr(path: str) -> Markup:
    url = absolute(path)
    return qr.code(url, url, css_class="qr print-only") if url else Markup("")


@bp.app_template_filter("longdate")
def longdate(day) -> str:
    return format_day(day)
