"""Read and validate the clinic's one config file, ``site.toml``.

``KEYS`` is the one list of settings: each key's type, default, example and
check. The validator runs those checks, and ``config_docs`` writes
``docs/config.md`` from the same list, with the exact message each wrong
example gets, so the reference and the validator cannot drift apart.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .colours import AA, best_contrast, nearest_readable
from .errors import ConfigError
from .files import Located, display_path, read_toml
from .hours import DAYS, OpeningHours, parse_day
from .languages import normal
from .logo import Logo, read_logo

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{3,30}$")
DEFAULT_BRAND = "#0b6e69"
HOLIDAYS = "closed_on_public_holidays"
ICONS = ("guide", "logo")


@dataclass(frozen=True)
class SiteConfig:
    """What a clinic sets; every field is optional."""

    site_url: str = ""
    clinic_name: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    #: opening hours as free text, in the language tagged ``opening_hours_lang`` ...
    opening_hours: str = ""
    opening_hours_lang: str = ""
    #: ... or as data, written out in each page's language
    hours: OpeningHours | None = None
    #: free text per language: (normal language code, text)
    opening_hours_text: tuple[tuple[str, str], ...] = ()
    brand_colour: str = DEFAULT_BRAND
    logo: Logo | None = None
    logo_alt: str = ""
    logo_alt_text: tuple[tuple[str, str], ...] = ()
    icon: str = "guide"
    default_language: str = "en"
    languages: tuple[str, ...] = field(default_factory=tuple)
    #: where the values came from, and the line of each key, for located errors
    source: str = "site.toml"
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def has_contact(self) -> bool:
        return bool(self.clinic_name or self.phone or self.address or self.website)

    @property
    def tel_href(self) -> str:
        """The phone number as a ``tel:`` URI (digits and a leading +)."""
        digits = re.sub(r"[^0-9+]", "", self.phone)
        return f"tel:{digits}" if digits else ""

    def hours_text(self, code: str) -> tuple[str, str]:
        """Free-text opening hours for a page in language ``code``, and the tag of the language
        the text is written in: the page's own entry of ``[opening_hours_text]`` (or its base
        language's), else ``opening_hours``; ('', '') when there is none."""
        found = _for_language(self.opening_hours_text, code)
        if found:
            return found
        if self.opening_hours:
            return self.opening_hours, self.opening_hours_lang or language_tag(self.default_language) or "en"
        return "", ""

    def logo_text(self, code: str) -> tuple[str, str]:
        """The logo's alt text for a page in ``code``, and its language tag ('' when it is a name,
        as written, like the clinic's name)."""
        found = _for_language(self.logo_alt_text, code) or _for_language(self.logo_alt_text, self.default_language)
        if found:
            return found
        return self.logo_alt or self.clinic_name, ""


def _for_language(table: tuple[tuple[str, str], ...], code: str) -> tuple[str, str] | None:
    """(text, tag) of ``code``'s entry in ``table``, or its base language's (``es`` for ``es-419``)."""
    entries = dict(table)
    key = normal(code)
    for candidate in (key, key.split("-")[0]):
        if candidate in entries:
            return entries[candidate], language_tag(candidate) or candidate
    return None


def language_tag(code: str) -> str | None:
    """The BCP 47 tag of a language code Babel knows (``es_419`` -> ``es-419``), else None."""
    try:
        return str(Locale.parse(code.strip().replace("-", "_"))).replace("_", "-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _type_name(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table", str: "text"}.get(type(value), type(value).__name__)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a usable public address, or None."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return "has spaces or control characters"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an absolute http(s) URL"
    if parts.query or "?" in value:
        return "has a query (?...)"
    if parts.fragment or "#" in value:
        return "has a fragment (#...)"
    return None


def site_url_value(value: str, shown: str, line: int, key: str, example: str) -> str:
    """A checked public address, ending in "/"."""
    problem = url_problem(value)
    if problem:
        raise ConfigError(shown, line, f"{key} {problem}: {value!r}".lstrip(), example)
    return value if value.endswith("/") else value + "/"


# --- One check per key -------------------------------------------------------------------------


@dataclass
class Context:
    """What a key's check may look at: the file, where its files live, and the values so far."""

    found: Located
    base: Path
    root: Path | None
    out: dict = field(default_factory=dict)

    def line(self, key: str) -> int:
        """The line of ``key`` (``table.key`` inside a table), else of its table."""
        return self.found.lines.get(key) or self.found.line(key.split(".")[0])

    def error(self, key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(self.found.path, self.line(key), problem, fix)


def _text(key: str, value: object, ctx: Context) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        raise ctx.error(key, f"{key} must be text, got a list", f'write it as one text: {key} = "{", ".join(value)}"')
    if not isinstance(value, str):
        raise ctx.error(key, f"{key} must be text, got {_type_name(value)}",
                        f'put the value in quotes: {key} = "{value}"')
    return value.strip()


def check_plain(key: str) -> Callable:
    return lambda value, ctx: {key: _text(key, value, ctx)}


def check_site_url(value, ctx):
    value = _text("site_url", value, ctx)
    if value:
        value = site_url_value(value, ctx.found.path, ctx.line("site_url"), "site_url",
                               'write it like site_url = "https://clinic.example/guide/"')
    return {"site_url": value}


def check_website(value, ctx):
    value = _text("website", value, ctx)
    if value and url_problem(value):
        raise ctx.error("website", f"website {url_problem(value)}: {value!r}",
                        'write it like website = "https://clinic.example/"')
    return {"website": value}


def check_phone(value, ctx):
    value = _text("phone", value, ctx)
    if value:
        problem = ("has characters a phone number cannot have" if not PHONE_RE.match(value)
                   else "has no digits" if not re.search(r"\d", value) else None)
        if problem:
            raise ctx.error("phone", f"phone {problem}: {value!r}",
                            'use digits, spaces and an optional leading +, like phone = "+44 20 7946 0000"')
    return {"phone": value}


def check_brand_colour(value, ctx):
    value = _text("brand_colour", value, ctx)
    if not COLOUR_RE.match(value):
        raise ctx.error("brand_colour", f"brand_colour is not a #rrggbb colour: {value!r}",
                        'write it like brand_colour = "#0b6e69"')
    nearest = nearest_readable(value, AA)
    if nearest:
        raise ctx.error("brand_colour", f"brand_colour {value} leaves header text at {best_contrast(value):.2f}:1 "
                                        f"with black or white, below {AA}:1",
                        f'use the nearest colour that reaches it: brand_colour = "{nearest}"')
    return {"brand_colour": value}


def check_default_language(value, ctx):
    value = _text("default_language", value, ctx)
    if not re.match(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*$", value):
        raise ctx.error("default_language", f"default_language is not a language code: {value!r}",
                        'write it like default_language = "en"')
    return {"default_language": value}


def check_languages(value, ctx):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ctx.error("languages", f"languages must be a list of language codes, got {_type_name(value)}",
                        'write it like languages = ["en", "es"]')
    return {"languages": tuple(value)}


def inside_table(ctx: Context, table: str, key: str) -> ConfigError:
    """A setting written after a [table] line, which TOML puts inside the table."""
    return ctx.error(f"{table}.{key}", f"{key} is inside the [{table}] table",
                     f"move the [{table}] table and its lines to the end of the file")


DAY_EXAMPLE = '"09:00-17:00", "08:00-12:30, 14:00-18:00" or "closed"'


def check_opening_hours(value, ctx):
    if isinstance(value, str):
        return {"opening_hours": value.strip()}
    if not isinstance(value, dict):
        raise ctx.error("opening_hours", f"opening_hours must be a table of days or text, got {_type_name(value)}",
                        'write a line [opening_hours], then one line a day, like monday = "09:00-17:00"')
    days: list[tuple] = [()] * 7
    holidays = False
    for key, day in value.items():
        where = f"opening_hours.{key}"
        if key == HOLIDAYS:
            if not isinstance(day, bool):
                raise ctx.error(where, f"{where} must be true or false, got {_type_name(day)}",
                                f"write it like {HOLIDAYS} = true, without quotes")
            holidays = day
            continue
        if key in BY_NAME:
            raise inside_table(ctx, "opening_hours", key)
        if key not in DAYS:
            raise ctx.error(where, f"opening_hours has no day {key!r}", "use one of: " + ", ".join(DAYS + (HOLIDAYS,)))
        if not isinstance(day, str):
            raise ctx.error(where, f"{where} must be text, got {_type_name(day)}",
                            f'write it like {key} = {DAY_EXAMPLE}')
        try:
            days[DAYS.index(key)] = parse_day(day)
        except ValueError as exc:
            raise ctx.error(where, f"{where} {exc}: {day!r}", f"write it like {key} = {DAY_EXAMPLE}") from None
    hours = OpeningHours(tuple(days), holidays)
    if not hours.is_open:
        raise ctx.error("opening_hours", "opening_hours has no open day",
                        'give the hours of each day the clinic is open, like monday = "09:00-17:00"')
    return {"hours": hours}


def check_opening_hours_lang(value, ctx):
    value = _text("opening_hours_lang", value, ctx)
    tag = language_tag(value)
    if tag is None:
        raise ctx.error("opening_hours_lang", f"opening_hours_lang is not a language code: {value!r}",
                        'write the code of the language the hours are written in, like opening_hours_lang = "en"')
    if not isinstance(ctx.found.data.get("opening_hours", ""), str):
        raise ctx.error("opening_hours_lang", "opening_hours_lang is for opening hours written as text",
                        "remove it: hours given as days are written in each page's language")
    return {"opening_hours_lang": tag}


def by_language(key: str, example: str) -> Callable:
    """A check for a table of text by language (``es = "..."``) -> ((normal code, text), ...)."""
    def check(value, ctx):
        if not isinstance(value, dict):
            raise ctx.error(key, f"{key} must be a table of languages, got {_type_name(value)}",
                            f"write a line [{key}], then one line a language, like {example}")
        entries = []
        for code, text in value.items():
            where = f"{key}.{code}"
            if code in BY_NAME:
                raise inside_table(ctx, key, code)
            if language_tag(code) is None:
                raise ctx.error(where, f"{key} has a key that is not a language code: {code!r}",
                                f"write it like {example}")
            if not isinstance(text, str):
                raise ctx.error(where, f"{where} must be text, got {_type_name(text)}", f"write it like {example}")
            if text.strip():
                entries.append((normal(code), text.strip()))
        return {f"{key}_text" if key == "logo_alt" else key: tuple(sorted(entries))}
    return check


check_opening_hours_text = by_language("opening_hours_text", 'es = "Lunes a viernes, de 9:00 a 17:00"')
_check_logo_alt_table = by_language("logo_alt", 'es = "Logotipo de la Clínica Ejemplo"')


def check_logo_alt(value, ctx):
    if isinstance(value, dict):
        return _check_logo_alt_table(value, ctx)
    if not isinstance(value, str):
        raise ctx.error("logo_alt", f"logo_alt must be text or a table of languages, got {_type_name(value)}",
                        'write it like logo_alt = "Example Skin Clinic"')
    return {"logo_alt": value.strip()}


def check_logo(value, ctx):
    value = _text("logo", value, ctx)
    if not value:
        return {}
    logo = read_logo(value, ctx.base, ctx.root, ctx.found.path, ctx.line("logo"))
    data = ctx.found.data
    alt = data.get("logo_alt")
    if isinstance(alt, dict):  # a table serves every language only through the default language's entry
        alt = {normal(code): text for code, text in alt.items()}.get(normal(str(data.get("default_language", "en"))))
    if not (str(alt or "").strip() or str(data.get("clinic_name", "")).strip()):
        raise ctx.error("logo", "logo has no text for people who cannot see it",
                        'add what the logo says, like logo_alt = "Example Skin Clinic"')
    return {"logo": logo}


def check_icon(value, ctx):
    value = _text("icon", value, ctx)
    if value not in ICONS:
        raise ctx.error("icon", f'icon must be "guide" or "logo", got {value!r}', 'write it like icon = "logo"')
    logo = ctx.out.get("logo")
    if value == "logo" and logo is None:
        raise ctx.error("icon", 'icon = "logo" needs a logo', 'add logo = "clinic-logo.svg", or write icon = "guide"')
    if value == "logo" and logo.text_line:
        raise ConfigError(logo.path, logo.text_line, "logo has text (<text>), which home-screen icons cannot draw "
                          "alike on every phone", 'convert the text to paths in your drawing program, or write '
                          'icon = "guide"')
    return {"icon": value}


@dataclass(frozen=True)
class Wrong:
    """A wrong value for the reference: the whole site.toml, the files beside it, and what they are."""

    toml: str
    files: dict[str, bytes] = field(default_factory=dict)
    beside: str = ""


@dataclass(frozen=True)
class Key:
    """One setting of ``site.toml``: how to write it, and how it is checked."""

    name: str
    type: str
    default: str
    example: str
    about: str
    check: Callable[[object, Context], dict]
    #: wrong values whose messages the reference shows
    wrong: tuple[Wrong, ...] = ()


#: A small valid logo, for the reference's examples.
SAMPLE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">\n'
              b'<rect width="120" height="40" rx="8" fill="#0b6e69"/>\n</svg>\n')
HOURS_EXAMPLE = """[opening_hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-19:00"
friday = "09:00-17:00"
saturday = "09:00-12:30"
sunday = "closed"
closed_on_public_holidays = true"""

KEYS: tuple[Key, ...] = (
    Key("site_url", "text (an http(s) address)", "none: no QR codes, sitemap or canonical links",
        'site_url = "https://clinic.example/guide/"',
        'Public address where the guide is published. A missing final "/" is added. `--site-url` overrides it.',
        check_site_url, (Wrong('site_url = "clinic.example/guide"'),)),
    Key("clinic_name", "text", "none", 'clinic_name = "Example Skin Clinic"',
        "Your clinic's name, shown as written in every language: in the contact box, the footer, the poster "
        "and the desk cards.", check_plain("clinic_name"), (Wrong("clinic_name = 42"),)),
    Key("phone", "text", "none", 'phone = "+44 20 7946 0000"',
        "Shown as written, and dialled by tapping it (a `tel:` link of its digits).",
        check_phone, (Wrong('phone = "call us!"'),)),
    Key("address", "text", "none", 'address = "1 High Street, Exampletown"',
        "Shown as written, as text (no map link).", check_plain("address"),
        (Wrong('address = ["1 High Street", "Exampletown"]'),)),
    Key("website", "text (an http(s) address)", "none", 'website = "https://clinic.example/"',
        "Your clinic's website, linked from the contact box.", check_website,
        (Wrong('website = "www.clinic.example"'),)),
    Key("opening_hours", "table of days, or text", "none", HOURS_EXAMPLE,
        "Opening hours. As a table, each page writes them in its own language (weekday names, 12- or "
        "24-hour clock, days with the same hours grouped); a day left out is closed. "
        "A day is `\"HH:MM-HH:MM\"`, several ranges separated by commas, or `\"closed\"`. "
        f"`{HOLIDAYS} = true` adds a line saying so. As text (`opening_hours = \"...\"`) it is shown as written, "
        "marked as written in `opening_hours_lang`.",
        check_opening_hours, (Wrong('[opening_hours]\nmonday = "9 to 5"'),
                              Wrong('[opening_hours]\nmonday = "17:00-09:00"'),
                              Wrong('[opening_hours]\nmon = "09:00-17:00"'),
                              Wrong('[opening_hours]\nmonday = "09:00-17:00"\nclosed_on_public_holidays = "yes"'))),
    Key("opening_hours_lang", "text (a language code)", "the default language",
        'opening_hours = "Monday to Friday, 9:00 to 17:00"\nopening_hours_lang = "en"',
        "The language `opening_hours` is written in, when it is text: pages in other languages mark it as such.",
        check_opening_hours_lang, (Wrong('opening_hours = "Lun-Ven 9-17"\nopening_hours_lang = "Italian"'),)),
    Key("opening_hours_text", "table of text by language", "none",
        '[opening_hours_text]\nes = "Lunes a viernes, de 9:00 a 17:00"',
        "Opening hours as written for one language (`es` also serves `es_419`), shown instead of the hours "
        "above on that language's pages.", check_opening_hours_text,
        (Wrong('[opening_hours_text]\nspanish = "Lunes a viernes"'),)),
    Key("brand_colour", "text (#rrggbb)", f'"{DEFAULT_BRAND}"', 'brand_colour = "#0b6e69"',
        f"Colour of the header bar, in light and dark mode alike; its text is black or white, whichever reads "
        f"better, and must reach {AA}:1 (WCAG AA). With `icon = \"guide\"` the home-screen icon takes it too.",
        check_brand_colour, (Wrong('brand_colour = "teal"'),)),
    Key("logo", "text (a file in the project)", "none", 'logo = "clinic-logo.svg"\nlogo_alt = "Example Skin Clinic"',
        "Your logo, a PNG or SVG file inside the project folder, shown in the header, on the poster and on the "
        "desk cards. At most 200 KB; a PNG 64 to 2000 pixels a side; an SVG only a picture (no script, event "
        "handlers, `foreignObject` or references to other files or addresses). It is always shown as an "
        "image, never inlined.",
        check_logo, (Wrong('logo = "clinic-logo.svg"', beside="no such file"),
                     Wrong('logo = "clinic-logo.svg"', {"clinic-logo.svg": b"GIF89a"}, "a GIF image saved as .svg"),
                     Wrong('clinic_name = "Example Skin Clinic"\nlogo = "clinic-logo.svg"',
                           {"clinic-logo.svg": SAMPLE_SVG.replace(b"</svg>", b'<script>alert(1)</script>\n</svg>')},
                           "an SVG with a script on line 3"))),
    Key("logo_alt", "text, or table of text by language", "the clinic's name",
        'logo_alt = "Example Skin Clinic"',
        "What the logo says, for people who cannot see it. As a table (`[logo_alt]`, `en = \"...\"`, "
        "`es = \"...\"`), a language without an entry uses the default language's.",
        check_logo_alt, (Wrong("logo_alt = 3"),)),
    Key("icon", '"guide" or "logo"', '"guide"',
        'logo = "clinic-logo.svg"\nlogo_alt = "Example Skin Clinic"\nicon = "logo"',
        "The home-screen icon: the guide's own, in the brand colour, or your logo inside the icon's safe zone "
        "(an SVG logo with text must have its text converted to paths).",
        check_icon, (Wrong('icon = "logo"'),)),
    Key("default_language", "text (a language code)", '"en"', 'default_language = "en"',
        "The language shown first. It must have a catalog (or be `en`).", check_default_language,
        (Wrong('default_language = "English"'),)),
    Key("languages", "list of language codes", "every language with a catalog",
        'languages = ["es", "fr", "ar"]',
        "The languages to publish, in this order after the default language. English, the original, is "
        "always published.", check_languages, (Wrong('languages = "en, es"'),)),
)
BY_NAME = {key.name: key for key in KEYS}
EXAMPLE = 'write each setting as key = "value", with both quotes'


def load_config(path: Path, root: Path | None = None, site_url: str | None = None) -> SiteConfig:
    """Parse ``site.toml``; a missing file means all defaults.

    ``site_url`` (from ``--site-url``) overrides the file's public URL, with the same rules.
    """
    shown, values, lines = display_path(path, root), {}, {}
    if path.is_file() or path.is_symlink():
        found = read_toml(path, root, ConfigError, EXAMPLE)
        values, lines = validate(found, path.parent, root), found.lines
    if site_url is not None:
        values["site_url"] = site_url_value(site_url, "--site-url", 1, "",
                                            'pass it like --site-url "https://clinic.example/guide/"')
    return SiteConfig(**values, source=shown, lines=lines)


def validate(found: Located, base: Path, root: Path | None) -> dict:
    """Every key's check, in the order of ``KEYS``: the SiteConfig fields the file sets."""
    for key in found.data:
        if key not in BY_NAME:
            raise ConfigError(found.path, found.line(key), f"unknown key {key!r}",
                              "use one of: " + ", ".join(sorted(BY_NAME)))
    ctx = Context(found, base, root)
    for key in KEYS:
        if key.name in found.data:
            ctx.out.update(key.check(found.data[key.name], ctx))
    return ctx.out


def wrong_message(wrong: Wrong) -> str:
    """The message the build prints for ``wrong.toml`` as the whole site.toml, its files beside it."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in wrong.files.items():
            (root / name).write_bytes(data)
        (root / "site.toml").write_text(wrong.toml + "\n", "utf-8")
        try:
            load_config(root / "site.toml", root)
        except ConfigError as error:
            return str(error)
    raise AssertionError(f"not refused: {wrong.toml!r}")


def config_docs() -> str:
    """``docs/config.md``: every key of ``site.toml`` from ``KEYS``, with the message each wrong example gets."""
    out = ["# site.toml: every setting", "",
           "<!-- Generated by `python -m pocket_guide config-docs > docs/config.md` from the checks in",
           "     site/pocket_guide/config.py; a test keeps the two the same. Do not edit by hand. -->", "",
           "`site.toml`, in the project folder, is the one file a clinic edits. Every setting is optional. "
           "The build and `python -m pocket_guide check` check every value and refuse a wrong one with one "
           "line, `site.toml:LINE: what is wrong - how to fix it`, changing nothing.", "",
           "| key | type | default |", "| --- | --- | --- |"]
    out += [f"| [`{key.name}`](#{key.name.replace('_', '-')}) | {key.type} | {key.default} |" for key in KEYS]
    for key in KEYS:
        out += ["", f"## {key.name}", "", key.about, "", f"- type: {key.type}", f"- default: {key.default}", "",
                "```toml", key.example, "```"]
        for wrong in key.wrong:
            beside = f" ({wrong.beside})" if wrong.beside else ""
            out += ["", f"Wrong{beside}:", "", "```toml", wrong.toml, "```", "", "```text", wrong_message(wrong),
                    "```"]
    return "\n".join(out) + "\n"
