/* Pocket guide: read the page aloud with the phone's own voices (Web Speech API).
   app.js loads this after the page where speechSynthesis exists. The controls (templates/listen.html)
   appear only when the phone has a voice for the page's language: never a voice of another language.
   Only voices that work on the phone are used (a network voice would send the text away).
   With a screen reader running: focus never moves while reading (only when the button pressed
   hides itself), no key is taken, and the text read is in no live region (it is not read twice).
   Same dialect as app.js (ES2017). */
'use strict';
(() => {
  const synth = window.speechSynthesis;
  const host = document.querySelector('.listen');
  const main = document.querySelector('main');
  if (!synth || !host || !main || !window.SpeechSynthesisUtterance) return;
  const doc = document.documentElement;
  const $ = (selector) => host.querySelector(selector);
  const start = $('.listen-start');
  const playing = $('.listen-playing');
  const pause = $('.listen-pause');
  const resume = $('.listen-resume');
  const slower = $('.listen-slower');

  // Which voice may read a language tag. Phones spell voices' tags their own way (pt_BR, cmn-TW, iw, tl).
  const norm = (tag) => String(tag || '').replace(/_/g, '-').toLowerCase()
    .replace(/^cmn(?=-|$)/, 'zh').replace(/^zh-han[st]-/, 'zh-').replace(/^iw(?=-|$)/, 'he')
    .replace(/^tl(?=-|$)/, 'fil').replace(/^in(?=-|$)/, 'id');
  // Chinese: only a voice of a region that writes the page's script, in this order.
  const SCRIPTS = { 'zh-hant': ['zh-hant', 'zh-tw', 'zh-hk', 'zh-mo'], 'zh-hans': ['zh-hans', 'zh-cn', 'zh-sg', 'zh'] };
  const rank = (want, have) => {
    if (SCRIPTS[want]) return SCRIPTS[want].indexOf(have);
    if (have === want) return 0;
    const base = want.split('-')[0];
    if (have === base) return 1;
    return have.split('-')[0] === base ? 2 : -1;
  };
  const found = new Map();
  const voiceFor = (tag) => {
    const want = norm(tag);
    if (!found.has(want)) {
      let best = null;
      let bestRank = Infinity;
      for (const voice of synth.getVoices()) {
        const r = voice.localService === false ? -1 : rank(want, norm(voice.lang));
        if (r >= 0 && (r < bestRank || (r === bestRank && voice.default && !best.default))) {
          best = voice;
          bestRank = r;
        }
      }
      found.set(want, best);
    }
    return found.get(want);
  };

  // What is read: headings, paragraphs and list items of the main text, in order; not the
  // navigation, notices, controls or the patient's own notes. A block's own words only (a list
  // item's nested list is read as its own items).
  const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, dt, dd';
  const SKIP = 'nav, .notices, .listen, .listen-here, .my-questions, [hidden], .print-only, template, [aria-hidden="true"]';
  const NOT_OWN = BLOCKS + ', ul, ol, dl, button, input, textarea, select, .my-field';
  const words = (text) => text.replace(/\s+/g, ' ').trim();
  const textOf = (el) => {
    const copy = el.cloneNode(true);
    for (const inner of copy.querySelectorAll(NOT_OWN)) inner.remove();
    return words(copy.textContent);
  };
  // A block left in English (not yet translated) is marked lang="en": read it with an English voice, or skip it.
  const langOf = (el, text) => {
    const marked = el.querySelector('[lang]');
    if (marked && words(marked.textContent) === text) return marked.lang;
    return (el.closest('[lang]') || doc).lang;
  };
  const collect = () => Array.from(main.querySelectorAll(BLOCKS))
    .filter((el) => !el.closest(SKIP) && el.getClientRects().length)
    .map((el) => {
      const text = textOf(el);
      const lang = text ? langOf(el, text) : '';
      return { el, text, lang, voice: text ? voiceFor(lang) : null };
    })
    .filter((block) => block.voice);

  let blocks = [];
  let index = 0;
  let state = 'idle';
  let current = null;
  let rate = 1;
  const reduced = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;

  const mark = (el) => {
    for (const old of main.querySelectorAll('.reading')) old.classList.remove('reading');
    if (el) el.classList.add('reading');
  };
  // Keep the block being read in view, below the controls that stay at the top while reading.
  const reveal = (el) => {
    const rect = el.getBoundingClientRect();
    const top = host.getBoundingClientRect().bottom;
    if (rect.top < top || rect.bottom > window.innerHeight) {
      el.scrollIntoView({ block: 'center', behavior: reduced ? 'auto' : 'smooth' });
    }
  };
  // The control being activated: screen readers on phones (VoiceOver in Safari) activate a
  // button without focusing it, so document.activeElement alone would miss it.
  let pressed = null;
  host.addEventListener('click', (event) => { pressed = event.target.closest('button'); }, true);
  host.addEventListener('click', () => { pressed = null; });
  const showState = () => {
    const idle = state === 'idle';
    const focused = host.contains(document.activeElement) ? document.activeElement : pressed;
    host.classList.toggle('playing', !idle);
    const wanted = [[start, idle], [playing, !idle], [pause, state === 'playing'], [resume, state === 'paused']];
    // The button pressed may be about to hide (Listen, Pause, Resume, Stop, Next at the end): focus
    // its replacement, so a screen reader's cursor is not left on nothing, and says the new state.
    // Orca (43) says nothing if the focused button leaves the accessibility tree before focus
    // moves (it quietly puts its cursor on the next button): so the pressed one is only made
    // invisible while its replacement takes focus, and hidden two frames later (a later tree update).
    const going = wanted.find(([el, show]) => !show && focused && !el.hidden && el.contains(focused));
    for (const [el, show] of wanted) if (show || !going) el.hidden = !show;
    if (!going) return;
    going[0].classList.add('visually-hidden');
    (idle ? start : state === 'paused' ? resume : pause).focus();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      going[0].classList.remove('visually-hidden');
      showState();
    }));
  };
  const finish = () => {
    state = 'idle';
    current = null;
    synth.cancel();
    mark(null);
    showState();
  };
  // One block per utterance. Pause is a cancel, and resume reads the block again: phones'
  // pause() and resume() are unreliable (Chrome on Android stops for good).
  const speak = (i, interrupt) => {
    current = null;
    if (interrupt) synth.cancel();
    if (i >= blocks.length) {
      finish();
      return;
    }
    index = i;
    const block = blocks[i];
    mark(block.el);
    reveal(block.el);
    const utterance = new SpeechSynthesisUtterance(block.text);
    utterance.lang = block.lang;
    utterance.voice = block.voice;
    utterance.rate = rate;
    // Cancelling ends the utterance too: only the current one moves on.
    utterance.onend = () => { if (current === utterance && state === 'playing') speak(i + 1, false); };
    utterance.onerror = (event) => {
      if (current !== utterance) return;
      if (event && event.error === 'not-allowed') finish();
      else utterance.onend();
    };
    current = utterance;
    synth.speak(utterance);
  };
  const play = (from) => {
    blocks = collect();
    const i = typeof from === 'number' ? from : Math.max(0, blocks.findIndex((block) => block.el === from));
    if (!blocks.length) return;
    state = 'playing';
    showState();
    pause.focus();
    speak(i, true);
  };
  // Move to block i; while paused, stay paused there.
  const go = (i) => {
    if (state === 'playing') speak(i, true);
    else if (i < blocks.length) {
      index = i;
      mark(blocks[i].el);
      reveal(blocks[i].el);
    }
  };
  const isSection = (block) => block.el.tagName === 'H2';

  start.addEventListener('click', () => play(0));
  pause.addEventListener('click', () => {
    state = 'paused';
    current = null;
    synth.cancel();
    showState();
  });
  resume.addEventListener('click', () => {
    state = 'playing';
    showState();
    speak(index, true);
  });
  $('.listen-stop').addEventListener('click', finish);
  $('.listen-next').addEventListener('click', () => {
    const next = blocks.findIndex((block, j) => j > index && isSection(block));
    if (next < 0) finish();
    else go(next);
  });
  // Back to the start of this section; at its heading, to the section before.
  $('.listen-prev').addEventListener('click', () => {
    let previous = 0;
    blocks.forEach((block, j) => { if (j < index && isSection(block)) previous = j; });
    go(previous);
  });
  slower.addEventListener('click', () => {
    rate = rate === 1 ? 0.7 : 1;
    slower.setAttribute('aria-pressed', String(rate !== 1));
    if (state === 'playing') speak(index, true);
  });
  // Leaving the page stops the voice (it would go on reading a page no longer shown).
  window.addEventListener('pagehide', () => { if (state !== 'idle') finish(); });

  // "Listen from here" under each section heading that is read.
  const addHere = () => {
    const icon = start.querySelector('svg');
    for (const heading of main.querySelectorAll('h2')) {
      if (heading.closest(SKIP) || !textOf(heading)) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'listen-here';
      button.appendChild(icon.cloneNode(true));
      button.appendChild(document.createTextNode(' ' + host.getAttribute('data-here')));
      if (heading.id) button.setAttribute('aria-describedby', heading.id);
      button.addEventListener('click', () => play(heading));
      heading.after(button);
    }
  };

  // Voices arrive late on some phones (voiceschanged); the controls appear once one fits.
  let shown = false;
  const check = () => {
    found.clear();
    if (shown || !voiceFor(doc.lang)) return;
    shown = true;
    host.hidden = false;
    addHere();
  };
  check();
  if (synth.addEventListener) synth.addEventListener('voiceschanged', check);
})();
