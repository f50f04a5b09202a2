/* Pocket guide: small progressive enhancements of the guide's pages. Everything works without it.
   Same dialect as sw.js (ES2017: const/let, arrow functions, async). The chooser has chooser.js. */
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

  // Ask the service worker to save languages; resolves true when all was saved, false when it
  // could not, or was replaced by a new worker before it answered.
  const askToSave = async (which) => {
    const worker = (await navigator.serviceWorker.ready).active;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(Boolean(event.data && event.data.ok));
      worker.addEventListener('statechange', () => { if (worker.state === 'redundant') resolve(false); });
      worker.postMessage({ save: which }, [channel.port2]);
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
    // A saved copy is shown at once; when the worker then finds that the page has changed, it
    // says so, and the notice (with the date of the text shown) links to the new copy.
    const newer = $('#newer-note');
    if (newer) {
      navigator.serviceWorker.addEventListener('message', (event) => {
        if (event.data && event.data.newer) newer.hidden = false;
      });
      navigator.serviceWorker.startMessages();
    }
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

  // "Share this guide": the phone's own share menu where there is one (the QR code needs no script).
  const send = $('#share-send');
  if (send && navigator.share) {
    send.parentElement.hidden = false;
    send.addEventListener('click', () => {
      const canonical = document.querySelector('link[rel="canonical"]');
      navigator.share({ title: document.title, url: canonical ? canonical.href : location.href }).catch(() => {});
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

  // Read aloud, "my questions": stylesheet then script (data-css, data-src) after the page, where
  // used, so a first load stays three requests.
  const later = (host, usable) => {
    if (!host || !usable) return;
    const make = (tag, props) => document.head.appendChild(Object.assign(document.createElement(tag), props));
    const add = () => {
      const style = make('link', { rel: 'stylesheet', href: host.dataset.css });
      style.onload = style.onerror = () => make('script', { src: host.dataset.src });
    };
    if (document.readyState === 'complete') add();
    else window.addEventListener('load', () => setTimeout(add));
  };
  later($('.listen'), 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window);
  later($('.my-questions'), true);
})();
