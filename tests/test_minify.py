"""The build serves the stylesheet and scripts without comments and indentation: nothing else changes."""
from __future__ import annotations

import subprocess

import pytest

from helpers import REPO, requires
from pocket_guide import minify

SCRIPT = r"""/* A header comment
   over two lines. */
'use strict';
(() => {
  const NAMES = __NAMES__; // written by the build
  const url = 'https://example.org/a//b'; // a URL is not a comment
  const star = "/* not a comment */";
  if (/^zh-(tw|hk)/.test(url) || /[/*]/.test(star)) {
    const ratio = 10 / 2 / 5;
    const text = `line one
      keeps its indentation ${ratio > 1 ? `nested ${ { a: 1 }.a }` : '// no'} and // this`;
    return text
  }
  let a = 1
  let b = a
  ++b
})();
"""

STYLE = """/* The patient's stylesheet: "quotes" in comments */
a:hover , .b  >  .c { color : red ; content: " ( /* kept */ ; } " ; }
@media print {
  .bar :focus-visible { outline: 0; }
}
"""


def test_scripts_lose_comments_and_indentation_and_keep_everything_else():
    out = minify.js(SCRIPT)
    assert "header comment" not in out and "written by the build" not in out
    assert "'https://example.org/a//b';" in out and '"/* not a comment */"' in out
    assert "/^zh-(tw|hk)/.test(url)" in out and "/[/*]/.test(star)" in out and "10 / 2 / 5" in out
    template = "`line one\n      keeps its indentation ${ratio > 1 ? `nested ${ { a: 1 }.a }` : '// no'} and // this`"
    assert template in out, "a template literal is copied as it is"
    assert "let a = 1\nlet b = a\n++b\n" in out, "line breaks stay: automatic semicolons read the same"
    rest = out.replace(template, "")
    assert "\n\n" not in rest and "\n " not in rest and "  " not in rest


def test_the_stylesheet_loses_comments_and_spaces_but_not_its_strings_or_combinators():
    out = minify.css(STYLE)
    assert out == ('a:hover,.b > .c{color : red;content: " ( /* kept */ ; } "}'
                   '@media print{.bar :focus-visible{outline: 0}}\n')


def test_unterminated_input_is_refused():
    with pytest.raises(ValueError, match="unterminated string"):
        minify.js("const a = 'open\n")
    with pytest.raises(ValueError, match="unterminated comment"):
        minify.js("a /* open")


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "static").glob("*.js")))
def test_the_shipped_scripts_still_parse(name, tmp_path):
    requires("node")
    script = tmp_path / name
    script.write_text(minify.js((REPO / "static" / name).read_text("utf-8")))
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
