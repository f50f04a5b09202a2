/* Pocket guide: the chooser (the guide's first page, where the posters' codes lead). A first visit
   goes to the best language for the browser, or to the one chosen before on this phone; every link
   works without it. Same dialect as app.js and sw.js (ES2017). */
'use strict';
(() => {
  const NAMES = __NAMES__; // shared with sw.js and app.js, written by the build
  const root = new URL(document.documentElement.getAttribute('data-root') || './', location.href).href;

  const remember = (value) => { try { localStorage.setItem(NAMES.language, value); } catch (e) { /* private mode */ } };
  const remembered = () => { try { return localStorage.getItem(NAMES.language); } catch (e) { return null; } };

  // An explicit choice is remembered on this phone only.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[data-choose]');
    if (link) remember(link.getAttribute('data-choose'));
  });

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

  // Reached from a page's menu (?page=questions): each language leads to that page in it.
  const links = {};
  // ?page=index: the guide's home. The parameter itself says the reader came from inside the
  // guide (a referrer is not enough: Firefox sends none from a page its service worker served).
  const from = new URLSearchParams(location.search).get('page') || '';
  const slug = /^[a-z0-9-]+$/.test(from) && from !== 'index' ? from + '/' : '';
  for (const a of document.querySelectorAll('a[data-choose]')) {
    if (slug) a.href = new URL(slug, a.href).href;
    links[a.getAttribute('data-choose')] = a.href;
  }

  // A first visit goes on to its language; not when the reader came back here from inside the
  // guide to choose another.
  const fromGuide = /^[a-z0-9-]+$/.test(from) || (document.referrer && document.referrer.startsWith(root));
  if (!fromGuide) {
    const target = links[remembered()] || bestMatch(navigator.languages || [navigator.language || ''], links);
    if (target) location.replace(target);
  }
})();
