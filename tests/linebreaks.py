"""Where a browser breaks lines inside words, as JavaScript functions any driver can run
(Playwright's ``page.evaluate(WORD_BREAKS)``; the other engines' ``evaluate(f"({WORD_BREAKS})()")``), in
the page's document or the one passed (an iframe's).

A line break inside a word is found the same way in every engine: a word (Intl.Segmenter, ICU's
rules for the element's language, the dictionary that finds Thai words too) whose boxes lie on
more than one line. Each such break is one of:

- ``hyphen``: the engine hyphenated the word (``hyphens: auto`` and its dictionary for the
  language): with ``hyphens: manual`` on the same element the word no longer breaks;
- ``wider``: the word is wider than its whole line, so it has to break somewhere
  (``overflow-wrap: break-word``), hyphen or not;
- ``split``: neither, a word cut in two with no hyphen: the fault the tests look for.

Not counted at all: words with Han or kana characters (a line may break between any two), and
breaks at a space, hyphen or slash in the text itself (the segmenter ends a word there). A soft
hyphen (U+00AD) in the text makes its break a ``hyphen`` one.
"""
from __future__ import annotations

#: Every line break inside a word of <main>, as ``{lang, kind, word, at}`` (``at`` shows the break
#: as ``before|after``), in document order.
WORD_BREAKS = r"""(doc) => {
  doc = doc || document;  // Playwright passes null for no argument
  const found = [];
  const view = doc.defaultView;
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
  const range = doc.createRange();
  const boxes = (node, start, end) => {
    range.setStart(node, start);
    range.setEnd(node, end);
    return [...range.getClientRects()].filter((r) => r.width > 0);
  };
  // Whole words, not characters: WebKit gives the last character before its hyphen the line the
  // hyphen is on, so a character's own box can put the break one character late.
  const lines = (node, word) => {
    const tops = [];
    for (const r of boxes(node, word.index, word.index + word.segment.length)) {
      if (!tops.some((top) => Math.abs(top - r.top) <= 2)) tops.push(r.top);
    }
    return tops.length;
  };
  // A word wider than its whole line has to break somewhere. The line is the content box of the
  // nearest block: padding is not room for words.
  const wider = (node, word) => {
    const width = boxes(node, word.index, word.index + word.segment.length).reduce((sum, r) => sum + r.width, 0);
    let box = node.parentElement;
    while (view.getComputedStyle(box).display === 'inline' && box.parentElement) box = box.parentElement;
    const style = view.getComputedStyle(box);
    return width > box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  const walker = doc.createTreeWalker(doc.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const el = node.parentElement;
    if (!text.trim() || el.closest('[hidden], .visually-hidden')) continue;
    const lang = el.closest('[lang]').lang;
    const computed = view.getComputedStyle(el);
    const auto = (computed.hyphens || computed.webkitHyphens) === 'auto';
    for (const word of new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)) {
      if (!word.isWordLike || cjk.test(word.segment) || lines(node, word) < 2) continue;
      // Where the word breaks, for people: the first character on a later line (perhaps one late).
      const first = boxes(node, word.index, word.index + 1)[0];
      let at = word.index + word.segment.length;
      for (const g of new Intl.Segmenter(lang, { granularity: 'grapheme' }).segment(word.segment)) {
        const box = boxes(node, word.index + g.index, word.index + g.index + g.segment.length)[0];
        if (first && box && box.top > first.top + 2) { at = word.index + g.index; break; }
      }
      found.push({ lang, word: word.segment, node, index: word.index, auto, wider: wider(node, word),
                   at: text.slice(Math.max(0, at - 10), at) + '|' + text.slice(at, at + 10) });
    }
  }
  // The engine hyphenated a word if, with hyphenation turned off, it stays whole: a word narrower
  // than its line breaks only at a hyphenation point or not at all. One added style sheet turns it
  // off everywhere at once (CSSOM, which the guide's CSP allows), and is taken away again.
  if (found.length) {
    const off = new view.CSSStyleSheet();
    off.replaceSync('* { hyphens: manual !important; -webkit-hyphens: manual !important; }');
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, off];
    for (const b of found) b.whole = lines(b.node, { index: b.index, segment: b.word }) === 1;
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((sheet) => sheet !== off);
  }
  return found.map((b) => ({ lang: b.lang, word: b.word, at: b.at,
    kind: b.word.includes('\u00ad') || (b.auto && b.whole) ? 'hyphen' : b.wider ? 'wider' : 'split' }));
}"""

#: Line breaks inside words that have no hyphen and are not forced by a word wider than its line,
#: as ``before|after`` strings: what a reader sees as a word cut in two.
MID_WORD_BREAKS = f"(doc) => ({WORD_BREAKS})(doc).filter((b) => b.kind === 'split').map((b) => b.at)"

#: Whether the engine hyphenates the page's language: its longest words, each alone in a 1 px wide
#: box, take more lines with ``hyphens: auto`` than with ``hyphens: manual`` (only a dictionary for
#: the language adds break points). Returns ``{lang, hyphenates, word}``, ``word`` the first
#: longest word it hyphenated (or the longest word tried).
HYPHENATES = r"""(doc) => {
  doc = doc || document;
  const lang = doc.documentElement.lang;
  const main = doc.querySelector('main');
  const words = [...new Intl.Segmenter(lang, { granularity: 'word' }).segment(main.textContent)]
    .filter((s) => s.isWordLike).map((s) => s.segment)
    .sort((a, b) => b.length - a.length).filter((w, i, all) => all.indexOf(w) === i).slice(0, 5);
  const box = doc.createElement('div');
  box.lang = lang;
  box.style.cssText = 'position:absolute;inset-inline-start:0;width:1px;overflow-wrap:normal;' +
    'word-break:normal;line-height:10px;font-size:10px';
  main.append(box);
  const lines = (word, hyphens) => {
    box.textContent = word;
    box.style.setProperty('hyphens', hyphens);
    box.style.setProperty('-webkit-hyphens', hyphens);
    return Math.round(box.getBoundingClientRect().height / 10);
  };
  const word = words.find((w) => lines(w, 'auto') > lines(w, 'manual'));
  box.remove();
  return { lang, hyphenates: word !== undefined, word: word ?? words[0] };
}"""
