"""Freeze the guide: ``python freeze.py [--out DIR] [--site-url URL]``."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

from pocket_guide.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--root", str(Path(__file__).resolve().parent), "build", *sys.argv[1:]]))
