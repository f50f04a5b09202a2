"""The guide's pages: chooser, content pages, offline and error pages,
manifests, sitemap, posters and hashed assets.

Each view knows its language and its own address; it hands the template a
set of tools bound to both (``_``, ``gettext``, ``link``...), so nothing
about the page being rendered is kept in global state.
"""
from __future__ import annotations

import json
import mimetypes
from functools import partial

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import force_locale, format_date
from markupsafe import Markup

from . import hours, html, qr, urls
from .languages import Language
from .translate import Translator

bp = Blueprint("guide", __name__)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'self'; "
       "form-action 'none'; object-src 'none'")


def guide():
    """The app's loaded guide (config, pages, languages, assets, translators)."""
    return current_app.extensions["pocket_guide"]


def language_or_404(slug: str) -> Language:
    language = guide().language(slug)
    if language is None:
        abort(404)
    return language


def absolute(target: str) -> str:
    return urls.absolute(target, guide().config.site_url)


def tools(tr: Translator, path: str, rooted: bool = False) -> dict:
    """What a template needs to write text and links for one page at ``path``."""
    language = tr.language

    def link(target: str) -> str:
        return (rooted and urls.rooted(target, guide().config.site_url)) or urls.relative(target, path)

    def content_link(page, href: str) -> str:
        target = guide().site.target(page, href)
        if target.external:
            return target.external
        anchor = "#" + target.anchor if target.anchor else ""
        if target.slug == page.slug:
            return anchor or link(urls.page(language.slug, page.slug))
        return link(urls.page(language.slug, target.slug)) + anchor

    def longdate(day) -> str:
        with force_locale(language.code):
            return format_date(day, format="long")

    def foreign(tag: str) -> str:
        """``tag`` if text written in it must be marked on this page, else '' (es text on es-419 needs not)."""
        page, written = language.tag.lower(), tag.lower()
        return "" if not tag or page == written or page.startswith(written + "-") else tag

    def opening_hours() -> dict:
        """The clinic's hours for this page: text (with the tag of its language when that is not the
        page's), or rows written in the page's language; {} when there are none."""
        config = guide().config
        text, tag = config.hours_text(language.code)
        if text:
            return {"text": text, "lang": foreign(tag)}
        if config.hours:
            return {"rows": hours.rows(config.hours, language.code),
                    "holidays": config.hours.closed_on_public_holidays}
        return {}

    def page_qr(slug: str, css_class: str) -> Markup:
        """This page's code (its file, ``urls.page_qr``), printed or shown on screen to share."""
        return qr.image(link(urls.page_qr(language.slug, slug)), absolute(urls.page(language.slug, slug)), css_class)

    return {
        "tr": tr, "language": language, "path": path, "urls": urls,
        "_": partial(html.ui, tr), "gettext": tr.gettext, "ngettext": partial(html.ui_plural, tr),
        "inline": partial(html.inline, tr), "plain": partial(html.plain, tr), "heading": partial(html.heading, tr),
        "link": link, "content_link": content_link, "asset_url": lambda name: link(asset_path(name)),
        "longdate": longdate, "page_qr": page_qr, "opening_hours": opening_hours,
        "foreign": foreign, "absolute": absolute, "Markup": Markup,
    }


def show(template: str, tr: Translator, path: str, rooted: bool = False, **context) -> str:
    """Render the page at ``path`` with ``tr``, the one translator of that page: every string
    on it, body included, is looked up there, so the template knows if any text fell back."""
    context.setdefault("canonical", absolute(path))
    context.setdefault("english_url", urls.page(guide().source_language.slug))
    return render_template(template, csp=CSP, guide=guide(), **tools(tr, path, rooted), **context)


def alternates(path_for, default: str | None = None) -> list[dict]:
    """hreflang links for every language, plus x-default (``default``, or the default language's)."""
    out = [{"hreflang": lang.tag, "href": absolute(path_for(lang)), "language": lang, "path": path_for(lang)}
           for lang in guide().languages]
    x_default = default or path_for(guide().default_language)
    out.append({"hreflang": "x-default", "href": absolute(x_default), "language": None, "path": x_default})
    return out


def page_context(tr: Translator, slug: str) -> dict:
    site_page = guide().site.page(slug)
    bound = tools(tr, urls.page(tr.language.slug, slug))

    def directive(name: str) -> str:
        return render_template(f"directives/{name}.html", page=site_page, guide=guide(), **bound)

    body = html.body(tr, site_page, partial(bound["content_link"], site_page), directive)
    return {"page": site_page, "slug": slug, "body": body,
            "alternates": alternates(lambda lang: urls.page(lang.slug, slug)),
            "english_url": urls.page(guide().source_language.slug, slug)}


@bp.route("/")
def chooser():
    title = guide().site.page("index").title
    entries = [{"language": lang, "title": html.plain(guide().translator(lang), title),
                "href": urls.page(lang.slug)} for lang in guide().languages]
    return show("chooser.html", guide().translator(guide().default_language), urls.chooser(), entries=entries,
                hide_language_menu=True,
                alternates=alternates(lambda lang: urls.page(lang.slug), default=urls.chooser()))


@bp.route("/<lang>/")
def home(lang: str):
    return page(lang, "index")


@bp.route("/<lang>/<slug>/")
def page(lang: str, slug: str):
    if lang in guide().moved:
        return moved(lang, slug)
    language = language_or_404(lang)
    if guide().site.page(slug) is None:
        abort(404)
    tr = guide().translator(language)
    return show("page.html", tr, urls.page(language.slug, slug), **page_context(tr, slug))


@bp.route("/<lang>/qr.svg", defaults={"slug": "index"})
@bp.route("/<lang>/<slug>/qr.svg")
def page_qr(lang: str, slug: str):
    """A content page's QR code; only with a site URL (a code needs the address)."""
    language = language_or_404(lang)
    url = absolute(urls.page(language.slug, slug))
    if not url or guide().site.page(slug) is None:
        abort(404)
    return Response(qr.document(url), mimetype="image/svg+xml")


def moved(old: str, slug: str):
    """A page at a language's old address (``/pt/``): it leads to the same page at the new one
    (``/pt-br/``), offline too, since it is saved with that language."""
    language = guide().moved[old]
    site_page = guide().site.page(slug)
    if site_page is None:
        abort(404)
    target = urls.page(language.slug, slug)
    tr = guide().translator(language)
    return show("moved.html", tr, urls.page(old, slug), canonical=absolute(target), robots="noindex",
                target=target, title=html.plain(tr, site_page.title))


@bp.route("/<lang>/offline/")
def offline(lang: str):
    language = language_or_404(lang)
    return show("offline.html", guide().translator(language), urls.offline(language.slug), canonical="",
                robots="noindex",
                alternates=[], english_url=urls.offline(guide().source_language.slug))


@bp.route("/404.html")
def not_found_page():
    return show("404.html", guide().translator(guide().default_language), urls.not_found(), canonical="",
                robots="noindex",
                alternates=[], rooted=True)


@bp.app_errorhandler(404)
def not_found(error):
    return not_found_page(), 404


def asset_path(name: str) -> str:
    return urls.asset(guide().assets.names[name])


@bp.route("/<lang>/manifest.webmanifest")
def manifest(lang: str):
    language = language_or_404(lang)
    tr = guide().translator(language)
    here = urls.manifest(language.slug)
    icons = [{"src": urls.relative(asset_path(n), here), "sizes": s, "type": "image/png", "purpose": p}
             for n, s, p in (("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
                             ("icon-maskable-512.png", "512x512", "maskable"))]
    if guide().config.icon == "guide":  # the logo's icons are PNG only
        icons.append({"src": urls.relative(asset_path("icon.svg"), here), "sizes": "any", "type": "image/svg+xml",
                      "purpose": "any"})
    data = {
        "id": "./", "name": tr.gettext("Pocket guide: fillers for cellulite"),
        "short_name": tr.gettext("Filler guide"),
        "description": html.plain(tr, guide().site.page("index").description),
        "lang": language.tag, "dir": language.dir, "start_url": "./", "scope": "./",
        "display": "standalone", "theme_color": guide().config.brand_colour,
        "background_color": "#ffffff", "icons": icons,
    }
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return Response(body, mimetype="application/manifest+json")


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
    entries = []
    for site_page in guide().site.pages:
        # The homes' x-default is the chooser, which is listed with them; other pages point to their default.
        home = site_page.slug == "index"
        group = alternates(lambda lang, slug=site_page.slug: urls.page(lang.slug, slug),
                           default=urls.chooser() if home else None)
        locs = ([urls.chooser()] if home else []) + [alt["path"] for alt in group if alt["language"]]
        entries += [{"loc": absolute(loc), "lastmod": site_page.last_reviewed.isoformat(), "alternates": group}
                    for loc in locs]
    body = render_template("sitemap.xml", urls=entries)
    return Response(body, mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Allow: /"]
    if guide().config.site_url:
        lines.append(f"Sitemap: {absolute(urls.sitemap())}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


#: The poster names the guide in this many of the clinic's languages: its first, in its order.
POSTER_TITLES = 3


def poster_titles() -> list[dict]:
    """The guide's title in the first languages that translate it, each once."""
    title, out, seen = guide().site.page("index").title, [], set()
    for language in guide().languages:
        tr = guide().translator(language)
        text, fell_back = tr.get(title)
        if not fell_back and text not in seen and len(out) < POSTER_TITLES:
            seen.add(text)
            out.append({"language": language, "title": html.heading(tr, title)})
    return out


@bp.route("/poster/")
def poster():
    entries = []
    for language in guide().languages:
        tr = guide().translator(language)
        entries.append({"language": language,
                        "line": html.ui(tr, "Scan to read this guide in %(language)s",
                                        language=language.name_in_text),
                        "qr": qr.code(absolute(urls.page(language.slug)), language.name)})
    return show("poster.html", guide().translator(guide().default_language), urls.poster(), canonical="",
                robots="noindex", entries=entries, alternates=[], titles=poster_titles(),
                chooser_qr=qr.code(absolute(urls.chooser()), "All languages"))


@bp.route("/poster/<lang>/")
def card(lang: str):
    language = language_or_404(lang)
    return show("card.html", guide().translator(language), urls.card(language.slug), canonical="",
                robots="noindex",
                qr_code=qr.code(absolute(urls.page(language.slug)), language.name),
                url=absolute(urls.page(language.slug)), alternates=[])
