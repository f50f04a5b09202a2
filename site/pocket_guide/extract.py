"""The Babel extractor for ``content/**.md``: one msgid per block.

Registered in ``babel.cfg`` as ``markdown = pocket_guide.extract:extract_markdown``.
"""
from __future__ import annotations

from .content import parse_page


def extract_markdown(fileobj, keywords, comment_tags, options):
    """Yield ``(lineno, funcname, message, comments)`` for every block of a page."""
    raw = fileobj.read()
    text = raw.decode(options.get("encoding", "utf-8")) if isinstance(raw, bytes) else raw
    name = getattr(fileobj, "name", "<content>")
    for block in parse_page(text, str(name)).blocks:
        yield block.lineno, None, block.msgid, [block.comment]
