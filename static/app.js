/* Pocket guide: small progressive enhancements. Everything works without it.
   Same dialect as sw.js (ES2017: const/let, arrow functions, async). */
'use strict';
(() => {
  const NAMES = __NAMES__; // shared with sw.js, written by the build
  const doc = document.documentElement;
  const lang = doc.getAttribute('data-lang');
  const page = doc.getAttribute('data-page');
  const root = new URL(doc.getAttribute('data-root') || './', location.href).href;
  const sw = doc.getAttribute('data-sw');
  const savesLanguage = page && !['chooser', 'poster', 'card'].includes(page);
  const $ = (selector) => document.querySelector(selector);

  const remember = (value) => { try { localStorage.setItem(NAMES.language, value); } catch (e) { /* private mode */ } };
  const remembered = () => { try { return localStorage.getItem(NAMES.language); } catch (e) { return null; } };

  // An explicit choice (chooser or language menu) is remembered on this phone only.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[data-choose]');
    if (link) remember(link.getAttribute('data-choose'));
  });

  // The chooser sends a first visit to the best language; not when the
  // reader came back to it from inside the guide to choose another.
  const bestMatch = (wanted, available) => {
    for (const raw of wanted) {
      let want = raw.toLowerCase();
      if (want === 'zh' || /^zh-(cn|sg|hans)/.test(want)) want = 'zh-hans';
      if (/^zh-(tw|hk|mo|hant)/.test(want)) want = 'zh-hant';
      if (available[want]) return available[want];
      const base = want.split('-')[0];
      const slug = Object.keys(available).find((s) => s.split('-')[0] === base);
      if (slug) return available[slug];
    }
    return null;
  };
  if (page === 'chooser') {
    const links = {};
    for (const a of document.querySelectorAll('a[data-choose]')) links[a.getAttribute('data-choose')] = a.href;
    const fromGuide = document.referrer && document.referrer.startsWith(root);
    if (!fromGuide) {
      const target = links[remembered()] || bestMatch(navigator.languages || [navigator.language || ''], links);
      if (target) location.replace(target);
    }
  }

  // Ask the service worker to save languages; resolves true when all was saved.
  const askToSave = async (which) => {
    const registration = await navigator.serviceWorker.ready;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(Boolean(event.data && event.data.ok));
      registration.active.postMessage({ save: which }, [channel.port2]);
    });
  };

  // Offline use: register the service worker and save this language; if part of it
  // could not be saved, say so and offer to try again.
  // A page from a new build may still be controlled by the previous worker, which does not
  // know it: then let the new worker install and take over (it does so at once), and ask it.
  const failed = $('#save-failed');
  const newestWorker = async () => {
    const registration = await navigator.serviceWorker.ready;
    await registration.update().catch(() => {});
    const worker = registration.installing || registration.waiting;
    if (!worker) return;
    await new Promise((resolve) => {
      const done = () => { if (worker.state === 'activated' || worker.state === 'redundant') resolve(); };
      worker.addEventListener('statechange', done);
      done();
    });
  };
  const saveThisLanguage = async () => {
    let ok = await askToSave(lang);
    if (!ok) {
      await newestWorker();
      ok = await askToSave(lang);
    }
    if (ok) doc.setAttribute('data-saved', lang);
    if (failed) failed.hidden = ok;
  };
  if (sw && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(sw)
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => (savesLanguage && registration.active ? saveThisLanguage() : null))
      .catch(() => { /* offline use is an extra */ });
    const retry = $('#save-retry');
    if (retry) retry.addEventListener('click', () => { saveThisLanguage().catch(() => {}); });
  }

  // While offline, say so, with the date this copy was saved.
  const note = $('#offline-note');
  const showOffline = async () => {
    if (!note || !window.caches) return;
    try {
      const response = await (await caches.open(NAMES.meta)).match(new URL(NAMES.saved, root).href);
      const saved = response ? await response.json() : {};
      const when = saved[lang] ? new Date(saved[lang]) : null;
      const slot = note.querySelector('.saved-date');
      if (slot && when) slot.textContent = when.toLocaleDateString(doc.lang, { year: 'numeric', month: 'long', day: 'numeric' });
      if (when) note.hidden = false;
    } catch (e) { /* nothing saved yet */ }
  };
  const checkOnline = () => {
    if (!note) return;
    fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(() => { note.hidden = true; }, showOffline);
  };
  if (sw && navigator.serviceWorker && navigator.serviceWorker.controller) checkOnline();
  window.addEventListener('offline', showOffline);
  window.addEventListener('online', () => { if (note) note.hidden = true; });

  // "Add to home screen": Android's own prompt where offered, steps for iOS.
  const installButton = $('#install-button');
  if (installButton) {
    const standalone = (window.matchMedia && matchMedia('(display-mode: standalone)').matches) || navigator.standalone;
    const ios = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
    let deferred = null;
    if (ios && !standalone) {
      $('.install-ios').hidden = false;
      $('.install-any').hidden = true;
    }
    window.addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault();
      deferred = event;
      $('.install-android').hidden = false;
      $('.install-any').hidden = true;
    });
    installButton.addEventListener('click', () => {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.then(() => { $('.install-android').hidden = true; deferred = null; });
    });
  }

  // "Save every language for offline use".
  const saveAll = $('#save-all');
  if (saveAll && sw && 'serviceWorker' in navigator) {
    const status = $('#save-status');
    $('.save-all').hidden = false;
    saveAll.addEventListener('click', async () => {
      status.textContent = status.getAttribute('data-busy');
      const ok = await askToSave('*').catch(() => false);
      status.textContent = status.getAttribute(ok ? 'data-done' : 'data-failed');
    });
  }
})();
