"""Per-language figures for docs/translations.md: strings, words, completeness, review state,
second-pass verdict, glossary size and the scripts the translation is written in.

    python bench/translations.py        # prints the Markdown table
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site"))

from pocket_guide import load_guide  # noqa: E402
from pocket_guide.catalogs import catalog_paths  # noqa: E402

#: Scripts written without spaces between words: their size is given in characters.
NO_SPACES = {"THAI", "CJK", "HIRAGANA", "KATAKANA"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\]\([^)]*\)")


def script_of(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (e.g. ARABIC, DEVANAGARI, CJK)."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else None


def scripts(texts: list[str]) -> list[str]:
    """Scripts that carry at least 2 % of the letters, most used first."""
    counts = Counter(s for text in texts for s in map(script_of, PLACEHOLDER.sub("", text)) if s)
    total = sum(counts.values()) or 1
    return [name.title() for name, n in counts.most_common() if n / total >= 0.02]


def size(texts: list[str], main_script: str) -> str:
    plain = [PLACEHOLDER.sub("", text) for text in texts]
    if main_script.upper() in NO_SPACES:
        return f"{sum(len(''.join(t.split())) for t in plain)} characters"
    return f"{sum(len(t.split()) for t in plain)} words"


def verdict(folder: Path) -> str:
    review = folder / "REVIEW.md"
    if not review.is_file():
        return "-"
    found = re.search(r"^Verdict:\s*(.+)$", review.read_text("utf-8"), re.M)
    return found.group(1).strip() if found else "-"


def rows() -> list[tuple[str, ...]]:
    guide, reports = load_guide({"ROOT": ROOT})
    paths = catalog_paths(ROOT / "translations")
    by_code = {lang.code: lang for lang in guide.languages}
    out = []
    for report in sorted(reports, key=lambda r: r.code):
        language = by_code.get(report.code)
        catalog = report.catalog
        texts = [m.string if isinstance(m.string, str) else " ".join(m.string)
                 for m in catalog if m.id and m.string and not m.fuzzy]
        found = scripts(texts)
        folder = paths[report.code].parent.parent
        glossary = folder / "glossary.csv"
        terms = max(len(glossary.read_text("utf-8").strip().splitlines()) - 1, 0) if glossary.is_file() else 0
        review = ("not reviewed" if language is None or not language.review.reviewed_by else
                  f"{language.review.reviewed_by}, {language.review.reviewed_on}"
                  + ("" if language.reviewed else " (changed since)"))
        out.append((f"{report.code} ({language.english_name if language else '?'})",
                    f"{report.translated}/{report.total}", size(texts, found[0] if found else ""),
                    f"{report.percent:.1f}%", review, verdict(folder), str(terms), ", ".join(found)))
    return out


def table() -> str:
    head = ("language", "strings", "size", "complete", "medical review", "second pass", "glossary terms",
            "scripts")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
