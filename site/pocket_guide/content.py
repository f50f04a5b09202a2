"""Parse the Markdown pages in ``content/`` into plain data.

No Flask here: a page is front matter plus a token stream, and every
translatable block (title, heading, paragraph, list item) is a ``Block``
that knows the file and 1-based line a person edits.
"""
from __future__ import annotations

import datetime as dt
import re
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .errors import ContentError
from .files import check_visible, display_path, read_text

#: Directives a page may place with ``::: name`` ... ``:::``.
#: Boxes wrap Markdown; the others are filled in by the app.
BOXES = ("key-points", "checklist")
DIRECTIVES = ("toc", "contact-clinic", "review-dates", "translation-credits",
              "install-help", "save-offline")
FIELDS = {"title": str, "menu": str, "slug": str, "order": int, "description": str,
          "last_reviewed": dt.date, "next_review_due": dt.date}
REQUIRED = ("title", "slug", "order", "last_reviewed", "next_review_due")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ANCHOR_RE = re.compile(r"\s*\{#([A-Za-z][\w-]*)\}\s*$")
DIRECTIVE_RE = re.compile(r"^\s*:::(.*)$")
#: Link schemes a page may use; anything else (javascript:, data:, file:...) is refused.
SCHEMES = ("http", "https", "mailto", "tel")
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def _render_box(self, tokens, idx, options, env):
    # The class comes from the closed list (the page checked the line), never from the file.
    token = tokens[idx]
    if token.nesting == 1:
        name = token.type[len("container_"):-len("_open")]
        return f'<div class="box {name}">\n' if name in BOXES else "<div>\n"
    return "</div>\n"


def _render_directive(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.nesting == -1:
        return ""
    fill = (env or {}).get("directive")
    name = token.type[len("container_"):-len("_open")]
    return fill(name) if fill and name in DIRECTIVES else ""


def make_markdown() -> MarkdownIt:
    """CommonMark with raw HTML off, so no text can carry markup."""
    md = MarkdownIt("commonmark", {"html": False})
    for name in BOXES:
        container_plugin(md, name, render=_render_box)
    for name in DIRECTIVES:
        container_plugin(md, name, render=_render_directive)
    return md


MD = make_markdown()


def fold(text: str) -> str:
    """Fold newlines and runs of spaces the way msgids are written."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Block:
    """One translatable unit of text with where it came from."""

    msgid: str
    kind: str
    path: str
    lineno: int
    section: str = ""

    @property
    def comment(self) -> str:
        where = f' in the section "{self.section}"' if self.section else ""
        hint = (" Keep the Markdown ([links](...), **bold**, *emphasis*, `code`) as it is."
                if re.search(r"[*_`\[]", self.msgid) else "")
        return f"{self.kind}{where}.{hint}"


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    msgid: str


@dataclass(frozen=True)
class Page:
    """A content page: front matter, tokens, and its blocks."""

    slug: str
    title: str
    menu: str
    order: int
    description: str
    last_reviewed: dt.date
    next_review_due: dt.date
    path: str
    tokens: tuple[Token, ...]
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    links: tuple[tuple[str, int], ...]
    slug_line: int = 1


def split_front_matter(text: str, path: str) -> tuple[dict, dict, int]:
    """Return (values, line of each key, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "no front matter",
                           'start the file with a line "---", then "key: value" lines, then "---"')
    values: dict[str, object] = {}
    where: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key or " " in key:
            if not lines[number - 2].strip():  # text after a blank line: the closing --- is missing
                raise ContentError(path, number - 1, "front matter is not closed",
                                   'end the front matter with a line "---" before the page text')
            raise ContentError(path, number, f"front matter line is not 'key: value': {line.strip()!r}",
                               'write it as "key: value", for example "order: 2"')
        if key not in FIELDS:
            raise ContentError(path, number, f"unknown front matter key {key!r}",
                               "use one of: " + ", ".join(FIELDS))
        if key in values:
            raise ContentError(path, number, f"front matter key {key!r} appears twice",
                               "keep one of the two lines")
        values[key], where[key] = _field(key, value.strip(), path, number), number
    else:
        raise ContentError(path, len(lines), "front matter is not closed",
                           'end the front matter with a line "---"')
    for key in REQUIRED:
        if key not in values:
            raise ContentError(path, number, f"front matter has no {key!r}",
                               f'add a line "{key}: ..." before this "---"')
    return values, where, number


def _field(key: str, raw: str, path: str, number: int) -> object:
    kind = FIELDS[key]
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    if not raw:
        raise ContentError(path, number, f"front matter {key!r} is empty", f"give {key} a value")
    if kind is int:
        if not re.fullmatch(r"-?\d+", raw):
            raise ContentError(path, number, f"{key} must be a whole number, got {raw!r}",
                               f'write it like "{key}: 2"')
        return int(raw)
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ContentError(path, number, f"{key} must be a date YYYY-MM-DD, got {raw!r}",
                               f'write it like "{key}: 2026-11-24"') from None
    if key == "slug" and not SLUG_RE.match(raw):
        raise ContentError(path, number, f"slug must be lowercase letters, digits and hyphens, got {raw!r}",
                           'write it like "slug: questions"')
    return raw


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def parse_page(text: str, path: str) -> Page:
    """Parse one page's source; raise ContentError with the line on bad input."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    check_visible(text, path, ContentError)
    values, where, body_start = split_front_matter(text, path)
    if values["next_review_due"] <= values["last_reviewed"]:
        raise ContentError(path, where["next_review_due"], "next_review_due is not after last_reviewed",
                           "set the next review to a date after the last review")
    body_lines = text.split("\n")[body_start:]
    offset = body_start  # body line i (0-based) is file line offset + i + 1
    for i, line in enumerate(body_lines):
        match = DIRECTIVE_RE.match(line)
        if not match or not match.group(1).strip():
            continue
        words = match.group(1).split()
        if words[0] not in BOXES + DIRECTIVES:
            raise ContentError(path, offset + i + 1, f"unknown directive {words[0][:40]!r}",
                               "use one of: " + ", ".join(BOXES + DIRECTIVES))
        if len(words) > 1 or not match.group(1).startswith(" " + words[0]):
            raise ContentError(path, offset + i + 1, f"directive {words[0]!r} takes no arguments, got "
                               f"{match.group(1).strip()[len(words[0]):].strip()[:40]!r}",
                               f'write the line as "::: {words[0]}" alone')
    tokens = MD.parse("\n".join(body_lines))
    blocks = [Block(values["title"], "Page title", path, where["title"])]
    if "menu" in values:
        blocks.append(Block(values["menu"], "Menu label (short)", path, where["menu"]))
    if "description" in values:
        blocks.append(Block(values["description"], "Page description (for search engines)",
                            path, where["description"]))
    headings: list[Heading] = []
    links: list[tuple[str, int]] = []
    anchors: set[str] = set()
    section = ""
    stack: list[str] = []
    for i, token in enumerate(tokens):
        if token.nesting == 1 and token.type != "inline":
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        if token.type != "inline":
            continue
        line = offset + (token.map[0] if token.map else 0) + 1
        opener = tokens[i - 1]
        content = token.content
        if opener.type == "heading_open":
            match = ANCHOR_RE.search(content)
            content = ANCHOR_RE.sub("", content) if match else content
            anchor = match.group(1) if match else _slugify(content)
            if anchor in anchors:
                raise ContentError(path, line, f"heading anchor {anchor!r} is used twice",
                                   "give one of the headings its own {#anchor}")
            anchors.add(anchor)
            opener.attrSet("id", anchor)
            token.content = content
            level = int(opener.tag[1])
            headings.append(Heading(level, anchor, fold(content)))
            if level == 2:
                section = fold(content)
            kind = f"Heading (level {level})"
        elif "list_item_open" in stack:
            kind = "Checklist question" if "container_checklist_open" in stack else "List item"
        else:
            kind = "Paragraph"
        token.meta["msgid"] = fold(content)
        blocks.append(Block(fold(content), kind, path, line, section if kind[:7] != "Heading" else ""))
        for child in MD.parseInline(token.meta["msgid"])[0].children or []:
            if child.type == "link_open":
                links.append((str(child.attrGet("href")), line))
            elif child.type == "image":
                raise ContentError(path, line, f"image {str(child.attrGet('src'))[:60]!r} is not allowed: the guide "
                                   "is text only", "remove the image, or describe it in words")
    return Page(slug=values["slug"], title=values["title"], menu=values.get("menu", values["title"]),
                order=values["order"],
                description=values.get("description", ""), last_reviewed=values["last_reviewed"],
                next_review_due=values["next_review_due"], path=path, tokens=tuple(tokens),
                blocks=tuple(blocks), headings=tuple(headings), links=tuple(links),
                slug_line=where["slug"])


@dataclass(frozen=True)
class Target:
    """What a content link means: a page and anchor of the guide, or an outside address."""

    slug: str | None = None
    anchor: str = ""
    external: str = ""


@dataclass(frozen=True)
class Site:
    """All pages, in menu order, and every content link resolved once."""

    pages: tuple[Page, ...]
    links: dict[tuple[str, str], Target] = field(default_factory=dict)

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)

    def target(self, page: Page, href: str) -> Target:
        """The resolved meaning of ``href`` as written on ``page``."""
        return self.links[(page.path, href)]


def load_site(folder: Path, root: Path | None = None) -> Site:
    """Read every ``*.md`` under ``folder``; check slugs and resolve internal links."""
    pages: list[Page] = []
    seen: dict[str, str] = {}
    for file in sorted(folder.rglob("*.md")):
        shown = display_path(file, root)
        page = parse_page(read_text(file, root, ContentError, "save it with UTF-8 encoding"), shown)
        if page.slug in seen:
            raise ContentError(shown, page.slug_line, f"slug {page.slug!r} is already used by {seen[page.slug]}",
                               "give each page its own slug")
        seen[page.slug] = shown
        pages.append(page)
    if not pages:
        raise ContentError(display_path(folder, root), 1, "no Markdown pages found",
                           "add at least content/index.md with slug: index")
    if "index" not in seen:
        raise ContentError(pages[0].path, 1, "no page has slug 'index' (the guide's home)",
                           'set "slug: index" on the main guide page')
    ordered = tuple(sorted(pages, key=lambda p: (p.order, p.slug)))
    links = {(page.path, href): resolve_link(ordered, page, href, line)
             for page in ordered for href, line in page.links}
    return Site(ordered, links)


def review_warnings(site: Site, today: dt.date) -> list[str]:
    """A located warning for each page whose next review date has passed."""
    return [f"{page.path}:1: warning: next review was due on {page.next_review_due.isoformat()} "
            "- review the page, then update last_reviewed and next_review_due"
            for page in site.pages if page.next_review_due < today]


def resolve_link(pages: tuple[Page, ...], page: Page, href: str, line: int) -> Target:
    """Resolve a content link once: a page file (``questions.md#anchor``, relative to the
    linking page), ``#anchor`` on the same page, or an http(s), mailto or tel address."""
    scheme = SCHEME_RE.match(href)
    if scheme:
        if scheme.group(1).lower() not in SCHEMES:
            raise ContentError(page.path, line, f"link {href[:60]!r} uses {scheme.group(1)}:",
                               "link to a page of the guide (name.md) or to an http(s), mailto or tel address")
        return Target(external=href)
    target, _, anchor = href.partition("#")
    if target:
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), target))
        other = next((p for p in pages if p.path == wanted), None)
        if other is None:
            names = ", ".join(posixpath.relpath(p.path, posixpath.dirname(page.path) or ".") for p in pages)
            raise ContentError(page.path, line, f"broken link {href!r}: no such page", f"link to one of: {names}")
    else:
        other = page
    if anchor and anchor not in {h.anchor for h in other.headings}:
        raise ContentError(page.path, line, f"broken link {href!r}: no heading with anchor {anchor!r}",
                           "use one of: " + ", ".join(h.anchor for h in other.headings))
    return Target(slug=other.slug, anchor=anchor)
