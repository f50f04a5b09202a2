"""Read and validate the clinic's one config file, ``site.toml``."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigError, utf8_text

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

    @property
    def has_contact(self) -> bool:
        return bool(self.clinic_name or self.phone or self.address or self.website)

    @property
    def tel_href(self) -> str:
        """The phone number as a ``tel:`` URI (digits and a leading +)."""
        digits = re.sub(r"[^0-9+]", "", self.phone)
        return f"tel:{digits}" if digits else ""


KEYS = {f.name for f in fields(SiteConfig)}
TEXT_KEYS = ("clinic_name", "phone", "address", "opening_hours")


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1


def _type_name(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table", str: "text"}.get(type(value), type(value).__name__)


def check_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def load_config(path: Path, display: str | None = None, site_url: str | None = None) -> SiteConfig:
    """Parse ``site.toml``; a missing file means all defaults.

    ``site_url`` (from ``--site-url``) overrides the file's public URL.
    """
    shown = display or path.name
    values: dict[str, object] = {}
    if path.is_file():
        text = utf8_text(path.read_bytes(), shown, ConfigError, "save it with UTF-8 encoding")
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            line = int(match.group(1)) if match else 1
            reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
            raise ConfigError(shown, line, f"not valid TOML: {reason}",
                              'write each setting as key = "value", with both quotes') from None
        values = _validate(values, text, shown)
    if site_url is not None:
        if not check_url(site_url):
            raise ConfigError("--site-url", 1, f"not an absolute http(s) URL: {site_url!r}",
                              'pass it like --site-url "https://clinic.example/guide/"')
        values["site_url"] = site_url
    if values.get("site_url") and not str(values["site_url"]).endswith("/"):
        values["site_url"] = str(values["site_url"]) + "/"
    return SiteConfig(**values)


def _validate(values: dict, text: str, shown: str) -> dict:
    out: dict[str, object] = {}
    for key, value in values.items():
        line = _key_line(text, key)
        if key not in KEYS:
            raise ConfigError(shown, line, f"unknown key {key!r}",
                              "use one of: " + ", ".join(sorted(KEYS)))
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
        if key in ("site_url", "website") and value and not check_url(value):
            raise ConfigError(shown, line, f"{key} is not an absolute http(s) URL: {value!r}",
                              f'write it like {key} = "https://clinic.example/"')
        if key == "brand_colour" and not COLOUR_RE.match(value):
            raise ConfigError(shown, line, f"brand_colour is not a #rrggbb colour: {value!r}",
                              'write it like brand_colour = "#0b6e69"')
        if key == "phone" and value and not PHONE_RE.match(value):
            raise ConfigError(shown, line, f"phone has characters a phone number cannot have: {value!r}",
                              'use digits, spaces and an optional leading +, like phone = "+44 20 7946 0000"')
        if key == "default_language" and not re.match(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*$", value):
            raise ConfigError(shown, line, f"default_language is not a language code: {value!r}",
                              'write it like default_language = "en"')
        out[key] = value
    return out
