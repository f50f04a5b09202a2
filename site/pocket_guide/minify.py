"""Take comments and indentation out of the stylesheet and the scripts the build serves.

Only what a reader needs and a browser does not: comments, indentation, blank lines (and in CSS,
spaces around braces, semicolons and commas). Line breaks stay in scripts, so automatic semicolon
insertion reads them as written. Strings, template literals and regular expressions are copied
untouched. A first load must stay within its budget (docs/performance.md); the sources keep their
comments.
"""
from __future__ import annotations

import re

#: After one of these (or at the start), a ``/`` begins a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
#: A name, a number, or any one other character.
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*|\d[\w.]*|.", re.S)
_REGEX_KEYWORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
                   "instanceof", "yield", "await"}


def _string_end(text: str, start: int) -> int:
    """Index just past the string or template literal (without ``${}``) that starts at ``start``."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        if quote != "`" and text[i] == "\n":
            break
        i += 1
    raise ValueError(f"unterminated string at character {start}")


def _regex_end(text: str, start: int) -> int:
    i, in_class = start + 1, False
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            break
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1
            return i
        i += 1
    raise ValueError(f"unterminated regular expression at character {start}")


def js(text: str) -> str:
    """``text`` without comments, indentation or blank lines."""
    out: list[str] = []
    i, previous = 0, ""  # previous: the last significant token's last character (or keyword)
    depth: list[int] = []  # for each open template literal, the brace depth of its ``${``
    braces = 0
    while i < len(text):
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = len(text) if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ValueError(f"unterminated comment at character {i}")
            out.append("\n" if "\n" in text[i:end] else " ")
            i = end + 2
        elif c == "/" and previous in _REGEX_AFTER | _REGEX_KEYWORDS:
            end = _regex_end(text, i)
            out.append(text[i:end])
            i, previous = end, "x"
        elif c in "'\"":
            end = _string_end(text, i)
            out.append(text[i:end])
            i, previous = end, "x"
        elif c == "`" or (c == "}" and depth and depth[-1] == braces):
            # A template literal, or its text after a ``${...}``: copied up to the end or the next ``${``.
            if c == "}":
                depth.pop()
            j = i + 1
            while j < len(text) and text[j] != "`" and not text.startswith("${", j):
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                raise ValueError(f"unterminated template literal at character {i}")
            if text[j] == "`":
                out.append(text[i:j + 1])
                i, previous = j + 1, "x"
            else:
                out.append(text[i:j + 2])
                depth.append(braces)
                i, previous = j + 2, "{"
        elif c in " \t\r":
            if out and not out[-1].endswith((" ", "\n")):
                out.append(" ")
            i += 1
        elif c == "\n":
            while out and out[-1] == " ":
                out.pop()
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            i += 1
        else:
            word = _TOKEN.match(text, i).group(0)
            if word == "{":
                braces += 1
            elif word == "}":
                braces -= 1
            out.append(word)
            i += len(word)
            previous = word if word in _REGEX_KEYWORDS else word[-1]
    return "".join(out).strip() + "\n"


#: A comment, or a string (copied as it is).
_CSS_TOKENS = re.compile(r"""/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""", re.S)


def css(text: str) -> str:
    """``text`` without comments, and with no more whitespace than the rules need."""
    pieces, code, last = [], "", 0  # strings as they are, the code between them squeezed
    for token in _CSS_TOKENS.finditer(text):
        code += text[last:token.start()]
        last = token.end()
        if token.group(0).startswith("/*"):
            code += " "
        else:
            pieces += [_squeeze(code), token.group(0)]
            code = ""
    pieces.append(_squeeze(code + text[last:]))
    return "".join(pieces).replace(";}", "}").strip() + "\n"


def _squeeze(code: str) -> str:
    return re.sub(r" ?([{};,]) ?", r"\1", re.sub(r"\s+", " ", code))
