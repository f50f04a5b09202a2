"""The medical source text, split into the sentences the English guide must carry."""
from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "content" / "source" / "filler-overview.txt"

#: The source runs its four section headings into the prose. The guide turns
#: them into real headings (its own words), so they are not sentences.
SOURCE_HEADINGS = ("Types of Fillers for Cellulite", "Considerations",
                   "Consultation with Your Dermatologist", "Final Thoughts")
LABEL_RE = re.compile(r"\s(?:\d+\.|-)\s+([^:]+):\s")


def source_text() -> str:
    return SOURCE.read_text("utf-8").replace("**", "")


def source_labels() -> list[str]:
    """The list labels ("1. Collagen-Based Fillers:"), which become headings."""
    return LABEL_RE.findall(source_text())


def source_sentences() -> list[str]:
    text = source_text()
    for heading in SOURCE_HEADINGS:
        assert heading in text, heading
        text = text.replace(heading, "\n")
    text = LABEL_RE.sub("\n", text)
    sentences = []
    for chunk in text.split("\n"):
        sentences += [s for s in re.split(r"(?<=[.!?:])\s+", chunk.strip()) if s]
    return sentences
