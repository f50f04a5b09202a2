/* Pocket guide: what a page needs from the start (the newer-version notice, Android's install
   prompt), and the loader of everything else, which comes after the load event so that a first
   load stays three requests: the print stylesheet, tools.js (offline use, install help, share),
   read aloud and "my questions". Everything works without it. Same dialect as sw.js (ES2017:
   const/let, arrow functions, async). The chooser has chooser.js. */
'use strict';
(() => {
  const doc = document.documentElement;
  const $ = (selector) => document.querySelector(selector);

  // A saved copy is shown at once; when the worker then finds that the page has changed, it
  // says so, and the notice (with the date of the text shown) links to the new copy. Listened
  // for from the start: a message that comes before anyone listens is lost.
  const newer = $('#newer-note');
  if (newer && doc.getAttribute('data-sw') && 'serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data && event.data.newer) newer.hidden = false;
    });
    navigator.serviceWorker.startMessages();
  }

  // Early, so no offer is missed: Android's own "install" prompt, for tools.js's install button.
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    window.pocketGuideInstall = event;
    document.dispatchEvent(new Event('pocket-guide-install'));
  });

  // After the load event: the print stylesheet, tools.js, and where the page has them and the
  // phone can use them, read aloud and "my questions" (each its stylesheet, then its script).
  const make = (tag, props) => document.head.appendChild(Object.assign(document.createElement(tag), props));
  const later = (css, src, media) => {
    const add = () => {
      if (!css) return src && make('script', { src });
      const style = make('link', { rel: 'stylesheet', href: css, media: media || 'all' });
      if (src) style.onload = style.onerror = () => make('script', { src });
    };
    if (document.readyState === 'complete') add();
    else window.addEventListener('load', () => setTimeout(add));
  };
  const own = document.currentScript.dataset;
  later(own.print, null, 'print');
  later(null, own.tools);
  const listen = $('.listen');
  if (listen && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window) later(listen.dataset.css, listen.dataset.src);
  const mine = $('.my-questions');
  if (mine) later(mine.dataset.css, mine.dataset.src);
})();
