"""docs/config.md is generated from the checks of site.toml, so the reference and the validator agree."""
from __future__ import annotations

import pytest

from helpers import REPO
from pocket_guide.cli import main
from pocket_guide.config import KEYS, SAMPLE_SVG, load_config


def test_docs_config_md_is_what_config_docs_prints(capsys):
    assert main(["config-docs"]) == 0
    printed = capsys.readouterr().out
    assert (REPO / "docs" / "config.md").read_text("utf-8") == printed, \
        "regenerate it: python -m pocket_guide config-docs > docs/config.md"


def test_every_key_is_documented_with_its_type_default_example_and_what_a_wrong_value_gets(capsys):
    main(["config-docs"])
    docs = capsys.readouterr().out
    for key in KEYS:
        section = docs[docs.index(f"\n## {key.name}\n"):]
        assert section.index(f"- type: {key.type}\n") < section.index(f"- default: {key.default}\n") < \
            section.index(key.example)
        assert key.wrong, f"{key.name}: show what a wrong value gets"
    assert docs.count("\nsite.toml:") + docs.count("\nclinic-logo.svg:") == sum(len(k.wrong) for k in KEYS), \
        "each wrong value's exact message"


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.name)
def test_every_documented_example_is_accepted(tmp_path, key):
    (tmp_path / "clinic-logo.svg").write_bytes(SAMPLE_SVG)
    (tmp_path / "site.toml").write_text(key.example + "\n", "utf-8")
    load_config(tmp_path / "site.toml", tmp_path)
