/* Pocket guide: "my questions" on the questions page. app.js loads this after the page.
   The checklist becomes the patient's own: ticks, notes under ticked questions, own questions,
   kept in this phone's localStorage only (one key per language, not tied to a build), printed
   (only what is ticked or written) and shared as text. Markup comes from templates/my-questions.html;
   text is only ever set with textContent. Same dialect as app.js (ES2017). */
'use strict';
(() => {
  const NAMES = __NAMES__; // shared with app.js and sw.js, written by the build
  const host = document.querySelector('.my-questions');
  if (!host) return;
  const doc = document.documentElement;
  const key = NAMES.notes + ':' + doc.getAttribute('data-lang');
  const $ = (selector) => host.querySelector(selector);
  const ownList = $('.own-questions');
  const status = $('.my-status');
  const words = (text) => text.replace(/\s+/g, ' ').trim();
  let count = 0;

  const copyOf = (template) => template.content.firstElementChild.cloneNode(true);
  // A labelled text box (a copy from a template) whose text is mirrored for print.
  const field = (part, describedBy) => {
    const box = part.querySelector('textarea');
    const label = part.querySelector('label');
    count += 1;
    box.id = 'my-field-' + count;
    label.htmlFor = box.id;
    if (describedBy) box.setAttribute('aria-describedby', describedBy);
    const mirror = part.querySelector('.print-text');
    const set = (text) => { box.value = text || ''; mirror.textContent = box.value; };
    box.addEventListener('input', () => { mirror.textContent = box.value; save(); });
    return { part, box, set };
  };
  const noteTemplate = $('template.my-note');
  const ownTemplate = $('template.my-own');

  // Each question of the checklist gets a tick (its label is the question) and a note box,
  // shown when ticked or written in.
  const questions = Array.from(document.querySelectorAll('.checklist li')).map((li, at) => {
    const text = document.createElement('span');
    text.id = 'my-question-' + at;
    text.append(...li.childNodes);
    const tick = document.createElement('input');
    tick.type = 'checkbox';
    tick.className = 'my-tick';
    const label = document.createElement('label');
    label.className = 'my-q';
    label.append(tick, text);
    const note = field(copyOf(noteTemplate), text.id);
    li.append(label, note.part);
    li.classList.add('my');
    const question = { li, tick, note, text: words(text.textContent) };
    question.show = () => {
      li.classList.toggle('ticked', tick.checked);
      note.part.hidden = !tick.checked && !note.box.value.trim();
    };
    tick.addEventListener('change', () => { question.show(); save(); });
    question.show();
    return question;
  });

  const addOwn = (text, noteText) => {
    const item = copyOf(ownTemplate);
    const own = field(item.querySelector('.my-field'));
    const note = field(copyOf(noteTemplate), own.box.id);
    item.appendChild(note.part);
    own.set(text);
    note.set(noteText);
    ownList.appendChild(item);
    return own.box;
  };

  // Stored: {asked: [{at, text, ticked, note}], own: [{text, note}], seen: [every question's text]}.
  // A question is found again by its text, else (its wording changed in a new build) by its place,
  // if the question now there is new; one that is gone becomes an own question, so no tick or
  // note is ever lost silently.
  const load = () => {
    let data = null;
    try { data = JSON.parse(localStorage.getItem(key)); } catch (e) { /* none, or unreadable */ }
    if (!data || typeof data !== 'object') return;
    const taken = new Set();
    const place = (saved, q) => {
      taken.add(q);
      q.tick.checked = Boolean(saved.ticked);
      q.note.set(saved.note);
      q.show();
    };
    const asked = Array.isArray(data.asked) ? data.asked : [];
    const later = [];
    for (const saved of asked) {
      const q = questions.find((candidate) => !taken.has(candidate) && candidate.text === saved.text);
      if (q) place(saved, q);
      else later.push(saved);
    }
    const seen = new Set(Array.isArray(data.seen) ? data.seen : []);
    for (const saved of later) {
      const q = questions[saved.at];
      if (q && !taken.has(q) && !seen.has(q.text)) place(saved, q);
      else addOwn(saved.text, saved.note);
    }
    for (const own of Array.isArray(data.own) ? data.own : []) addOwn(own.text, own.note);
  };

  const read = () => {
    const asked = [];
    questions.forEach((q, at) => {
      if (q.tick.checked || q.note.box.value.trim()) {
        asked.push({ at, text: q.text, ticked: q.tick.checked, note: q.note.box.value });
      }
    });
    const own = [];
    for (const item of ownList.children) {
      const [text, note] = Array.from(item.querySelectorAll('textarea'), (box) => box.value);
      if (text.trim() || note.trim()) own.push({ text, note });
    }
    return { asked, own, seen: questions.map((q) => q.text) };
  };
  function save() {
    const data = read();
    host.classList.toggle('has-own', data.own.length > 0);
    status.textContent = '';
    try {
      if (data.asked.length || data.own.length) localStorage.setItem(key, JSON.stringify(data));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or off: the page still works until it is closed */ }
  }

  load();
  host.classList.toggle('has-own', read().own.length > 0);
  host.hidden = false;

  $('.my-add').addEventListener('click', () => addOwn('', '').focus());

  $('.my-delete').addEventListener('click', () => {
    if (!window.confirm(host.getAttribute('data-confirm'))) return;
    try { localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    for (const q of questions) {
      q.tick.checked = false;
      q.note.set('');
      q.show();
    }
    ownList.textContent = '';
    host.classList.remove('has-own');
    status.textContent = host.getAttribute('data-deleted');
  });

  // Print only what is ticked or written, with the page's QR code (notes.css, body.print-mine).
  $('.my-print').addEventListener('click', () => {
    document.body.classList.add('print-mine');
    window.print();
  });
  window.addEventListener('afterprint', () => document.body.classList.remove('print-mine'));

  // The same, as plain text for a message: the phone's share sheet, or the clipboard.
  const summary = () => {
    const data = read();
    const lines = [words(document.querySelector('h1').textContent), ''];
    const add = (text, note) => {
      lines.push('- ' + words(text));
      if (note.trim()) lines.push('  ' + note.trim().replace(/\n/g, '\n  '));
    };
    for (const q of data.asked) if (q.ticked) add(q.text, q.note);
    for (const own of data.own) add(own.text, own.note);
    const canonical = document.querySelector('link[rel="canonical"]');
    if (canonical) lines.push('', canonical.href);
    return lines.join('\n');
  };
  const copied = () => {
    status.textContent = host.getAttribute('data-copied');
    setTimeout(() => { status.textContent = ''; }, 6000);
  };
  const copy = (text) => {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(copied, () => copyBySelection(text));
    }
    return Promise.resolve(copyBySelection(text));
  };
  // Selecting the text focuses the hidden box: give focus back to the button, or it would be
  // lost with the box (a screen reader would be left at the top of the page).
  const copyBySelection = (text) => {
    const back = document.activeElement;
    const box = document.createElement('textarea');
    box.value = text;
    box.className = 'visually-hidden';
    document.body.appendChild(box);
    box.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { /* not allowed */ }
    box.remove();
    if (back && back !== document.body) back.focus();
    if (ok) copied();
  };
  $('.my-share').addEventListener('click', () => {
    const text = summary();
    if (navigator.share) {
      navigator.share({ text }).catch((error) => { if (!error || error.name !== 'AbortError') copy(text); });
    } else {
      copy(text);
    }
  });
})();
