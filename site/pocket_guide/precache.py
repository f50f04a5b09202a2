"""The service worker's precache list, computed from the frozen tree.

Pure functions: a tree of files in, a manifest out; a template in, the
filled service worker out.
"""
from __future__ import annotations

import hashlib
import json
from .errors import ConfigError

#: Names the service worker and app.js share (cache names, the saved-languages record, the
#: remembered language, notes.js's localStorage key). Defined here once; the build writes them
#: into the scripts.
NAMES = {"prefix": "pocket-guide-", "meta": "pocket-guide-meta", "saved": "__saved.json",
         "language": "pocket-guide-language", "notes": "pocket-guide-notes"}


def url_of(relpath: str) -> str:
    """The URL (relative to the site root) a file is served at."""
    if relpath == "index.html":
        return "./"
    if relpath.endswith("/index.html"):
        return relpath[: -len("index.html")]
    return relpath


def revision(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def build_manifest(files: dict[str, bytes], language_slugs: list[str],
                   moved: dict[str, str] | None = None) -> dict:
    """Group the tree's files into what every visit saves and what each language saves.

    ``files`` maps paths relative to the site root to their bytes; ``moved`` maps a
    language's old address to its slug: those pages are saved with that language, and
    a phone that had saved the old one saves the new one.
    """
    moved = dict(moved or {})
    shared: list[list[str]] = []
    languages: dict[str, list[list[str]]] = {slug: [] for slug in language_slugs}
    for relpath in sorted(files):
        entry = [url_of(relpath), revision(files[relpath])]
        first = relpath.split("/")[0]
        if relpath == "index.html" or relpath.startswith("static/"):
            shared.append(entry)
        elif moved.get(first, first) in languages:
            languages[moved.get(first, first)].append(entry)
    offline = {slug: f"{slug}/offline/" for slug in language_slugs
               if f"{slug}/offline/index.html" in files}
    body = {"shared": shared, "languages": languages, "offline": offline, "moved": moved}
    version = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
    return {"version": version, **body}


def fill(template: str, values: dict[str, object], template_path: str) -> str:
    """Put each value, as JSON, into the template's one ``__NAME__`` placeholder for it."""
    for name, value in values.items():
        if template.count(name) != 1:
            raise ConfigError(template_path, 1, f"{template_path} must contain {name} exactly once",
                              f"restore {template_path} from the repository")
        template = template.replace(name, json.dumps(value, sort_keys=True, separators=(",", ":")))
    return template


def fill_service_worker(template: str, manifest: dict, template_path: str = "static/sw.js") -> str:
    """The service worker with its precache manifest and the shared names."""
    return fill(template, {"__PRECACHE__": manifest, "__NAMES__": NAMES}, template_path)


def language_bytes(files: dict[str, bytes], manifest: dict, slug: str) -> list[str]:
    """Paths one language saves for offline use (shared files included)."""
    wanted = {url for url, _ in manifest["shared"]} | {url for url, _ in manifest["languages"][slug]}
    return [path for path in files if url_of(path) in wanted]
