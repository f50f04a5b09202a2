/* Pocket guide: what app.js loads after the load event (so that it never competes with the page
   on a weak signal): offline use (the service worker, saving this language or every language,
   the offline note), install help, share, and the printed code. Everything works without it.
   Same dialect as app.js. */
'use strict';
(() => {
  const NAMES = __NAMES__; // shared with sw.js, written by the build
  const doc = document.documentElement;
  const lang = doc.getAttribute('data-lang');
  const root = new URL(doc.getAttribute('data-root') || './', location.href).href;
  const page = doc.getAttribute('data-page');
  const sw = doc.getAttribute('data-sw');
  const workers = Boolean(sw && navigator.serviceWorker); // this page has one, and the browser runs them
  const controlled = workers && navigator.serviceWorker.controller; // a worker answers this page
  const savesLanguage = page && !['chooser', 'poster', 'card'].includes(page);
  const $ = (selector) => document.querySelector(selector);

  // The page has loaded: the worker may now check it against the network (sw.js waits for this).
  if (controlled) controlled.postMessage({ loaded: true });

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
  if (workers) {
    navigator.serviceWorker.register(sw)
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => (savesLanguage && registration.active ? saveThisLanguage() : null))
      .catch(() => { /* offline use is an extra */ });
    const retry = $('#save-retry');
    if (retry) retry.addEventListener('click', () => { saveThisLanguage().catch(() => {}); });
  }

  // "Save every language for offline use".
  const saveAll = $('#save-all');
  if (saveAll && workers) {
    const status = $('#save-status');
    $('.save-all').hidden = false;
    saveAll.addEventListener('click', async () => {
      status.textContent = status.getAttribute('data-busy');
      const ok = await askToSave('*').catch(() => false);
      status.textContent = status.getAttribute(ok ? 'data-done' : 'data-failed');
    });
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
  if (controlled) checkOnline();
  window.addEventListener('offline', showOffline);
  window.addEventListener('online', () => { if (note) note.hidden = true; });

  // "Add to home screen": Android's own prompt where offered, steps for iOS.
  const installButton = $('#install-button');
  if (installButton) {
    const standalone = (window.matchMedia && matchMedia('(display-mode: standalone)').matches) || navigator.standalone;
    const ios = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
    if (ios && !standalone) {
      $('.install-ios').hidden = false;
      $('.install-any').hidden = true;
    }
    // app.js keeps the prompt (it may come before this script), and says when one comes.
    const offered = () => {
      if (!window.pocketGuideInstall) return;
      $('.install-android').hidden = false;
      $('.install-any').hidden = true;
    };
    document.addEventListener('pocket-guide-install', offered);
    offered();
    installButton.addEventListener('click', () => {
      const prompt = window.pocketGuideInstall;
      if (!prompt) return;
      window.pocketGuideInstall = null;
      prompt.prompt();
      prompt.userChoice.then(() => { $('.install-android').hidden = true; });
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

  // Printing: the page's code is an image that loads only when needed; fetch it now, so a
  // printout made a moment later (or offline) has it.
  for (const img of document.querySelectorAll('img.qr[loading="lazy"]')) img.loading = 'eager';
})();
