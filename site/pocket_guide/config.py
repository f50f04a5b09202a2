"""Read and validate the clinic's one config file, ``site.toml``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError
from .files import Located, display_path, read_toml

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{3,30}$")
DEFAULT_BRAND = "#0b6e69"


@dataclass(frozen=True)
class SiteConfig:
    """What a clinic sets; every field is optional."""

    site_url: str = ""
    clinic_name: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    opening_hours: str = ""
    brand_colour: str = DEFAULT_BRAND
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


KEYS = {f.name for f in fields(SiteConfig) if f.name not in ("source", "lines")}
EXAMPLE = 'write each setting as key = "value", with both quotes'


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


def load_config(path: Path, root: Path | None = None, site_url: str | None = None) -> SiteConfig:
    """Parse ``site.toml``; a missing file means all defaults.

    ``site_url`` (from ``--site-url``) overrides the file's public URL, with the same rules.
    """
    shown, values, lines = display_path(path, root), {}, {}
    if path.is_file() or path.is_symlink():
        found = read_toml(path, root, ConfigError, EXAMPLE)
        values, lines = _validate(found), found.lines
    if site_url is not None:
        values["site_url"] = site_url_value(site_url, "--site-url", 1, "",
                                            'pass it like --site-url "https://clinic.example/guide/"')
    return SiteConfig(**values, source=shown, lines=lines)


def _validate(found: Located) -> dict:
    out: dict[str, object] = {}
    shown = found.path
    for key, value in found.data.items():
        line = found.line(key)
        if key not in KEYS:
            raise ConfigError(shown, line, f"unknown key {key!r}", "use one of: " + ", ".join(sorted(KEYS)))
        if key == "languages":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(shown, line, f"languages must be a list of language codes, got {_type_name(value)}",
                                  'write it like languages = ["en", "es"]')
            out[key] = tuple(value)
            continue
        if not isinstance(value, str):
            raise ConfigError(shown, line, f"{key} must be text, got {_type_name(value)}",
                              f'put the value in quotes: {key} = "{value}"')
        value = value.strip()
        if key == "site_url" and value:
            value = site_url_value(value, shown, line, key, 'write it like site_url = "https://clinic.example/guide/"')
        if key == "website" and value and url_problem(value):
            raise ConfigError(shown, line, f"website {url_problem(value)}: {value!r}",
                              'write it like website = "https://clinic.example/"')
        if key == "brand_colour" and not COLOUR_RE.match(value):
            raise ConfigError(shown, line, f"brand_colour is not a #rrggbb colour: {value!r}",
                              'write it like brand_colour = "#0b6e69"')
        if key == "phone" and value:
            problem = ("has characters a phone number cannot have" if not PHONE_RE.match(value)
                       else "has no digits" if not re.search(r"\d", value) else None)
            if problem:
                raise ConfigError(shown, line, f"phone {problem}: {value!r}",
                                  'use digits, spaces and an optional leading +, like phone = "+44 20 7946 0000"')
        if key == "default_language" and not re.match(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*$", value):
            raise ConfigError(shown, line, f"default_language is not a language code: {value!r}",
                              'write it like default_language = "en"')
        out[key] = value
    return out
