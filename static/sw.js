/* Pocket guide service worker, written by the build.
   Pages saved on the phone: the saved copy at once, while the network brings the page again
   in the background and replaces the copy if it changed (the page is told: new text shows on the
   next load). Pages not saved: the network, then an offline page.
   Hashed assets: cache first, by a static route where the browser has them (Chromium), so they
   never wait for this worker to start. One cache per build; old ones are deleted.
   Every file saved for offline use is checked against the sha256 revision the build listed;
   a copy kept from a page load is labelled with the revision of its own bytes.
   A saved page is answered first; everything else a visit sets off (checking the copy against the
   network, saving the language) starts once the page has loaded. */
'use strict';
const PRECACHE = __PRECACHE__;
const NAMES = __NAMES__; // cache names shared with app.js, written by the build
const CACHE = NAMES.prefix + PRECACHE.version;
// This build's cache, opened while the worker starts, so a page's answer costs one lookup.
const opened = caches.open(CACHE);
const META = NAMES.meta;
const TIMEOUT = 3000;
const scope = self.registration.scope;
const abs = (url) => new URL(url, scope).href;
const SAVED = abs(NAMES.saved);
const STATIC = abs('static/');
const known = new Set();
for (const [url] of PRECACHE.shared) known.add(abs(url));
for (const list of Object.values(PRECACHE.languages)) for (const [url] of list) known.add(abs(url));

async function readSaved() {
  const response = await (await caches.open(META)).match(SAVED);
  return response ? response.json() : {};
}

async function writeSaved(saved) {
  const body = JSON.stringify(saved);
  await (await caches.open(META)).put(SAVED, new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

async function revisionOf(blob) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
}

// Fetch a file and keep it only if its bytes are the ones the build listed;
// a stale or damaged copy on the way is fetched once more past every cache.
async function fetchVerified(key, revision) {
  for (const mode of ['no-cache', 'reload']) {
    const fresh = await fetch(key, { cache: mode });
    if (!fresh.ok) throw new Error(key + ' answered ' + fresh.status);
    const body = await fresh.blob();
    if (await revisionOf(body) !== revision) continue;
    const headers = new Headers(fresh.headers);
    headers.set('x-revision', revision);
    return new Response(body, { status: fresh.status, statusText: fresh.statusText, headers });
  }
  throw new Error(key + ' does not match its revision');
}

// Cache each entry (reusing a copy of the same revision from an older cache);
// save what can be saved, and return how many entries could not be.
async function fill(entries) {
  const cache = await opened;
  const results = await Promise.allSettled(entries.map(async ([url, revision]) => {
    const key = abs(url);
    const mine = await cache.match(key);
    if (mine && mine.headers.get('x-revision') === revision) return;
    let response = await caches.match(key);
    if (!response || response.headers.get('x-revision') !== revision) response = await fetchVerified(key, revision);
    await cache.put(key, response);
  }));
  return results.filter((result) => result.status === 'rejected').length;
}

// Save languages for offline use; a language counts as saved only when whole.
// A language saved under its old address (pt) is saved under its new one (pt-br).
// A language this build does not know (the page came from a newer build) is not saved.
async function save(languages) {
  const named = languages.map((lang) => PRECACHE.moved[lang] || lang);
  const wanted = named.filter((lang) => PRECACHE.languages[lang]);
  let complete = wanted.length === named.length && (await fill(PRECACHE.shared)) === 0;
  const saved = await readSaved();
  const now = new Date().toISOString();
  for (const lang of wanted) {
    if ((await fill(PRECACHE.languages[lang])) === 0) saved[lang] = now;
    else complete = false;
  }
  await writeSaved(saved);
  return complete;
}

// The hashed files under static/ never change under one name: where the browser has static routes,
// it reads them from this build's cache (or, not saved, the network) without starting this worker.
// Elsewhere the fetch handler below does the same.
function addStaticRoute(event) {
  if (typeof event.addRoutes !== 'function') return;
  const url = new URL(STATIC);
  const literal = (text) => text.replace(/[\\:*?+()[\]{}]/g, '\\$&');
  const urlPattern = { protocol: url.protocol.slice(0, -1), hostname: literal(url.hostname), port: url.port,
    pathname: literal(url.pathname) + '*', search: '*', hash: '*' };
  try {
    event.waitUntil(Promise.resolve(event.addRoutes({ condition: { urlPattern, requestMethod: 'GET' },
      source: { cacheName: CACHE } })).catch(() => { /* the fetch handler serves them */ }));
  } catch (error) {
    // An older form of the API: the fetch handler serves them.
  }
}

self.addEventListener('install', (event) => {
  addStaticRoute(event);
  event.waitUntil((async () => {
    // Never fail the install: what could not be saved is reported to the page, which offers a retry.
    await save(Object.keys(await readSaved())).catch(() => false);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(NAMES.prefix) && name !== CACHE && name !== META)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.loaded) { // a page has loaded: its visit's background work may start
    const open = event.source && opens.get(event.source.id);
    if (open) open();
    return;
  }
  const want = event.data && event.data.save;
  if (!want) return;
  const languages = want === '*' ? Object.keys(PRECACHE.languages) : [want];
  const port = event.ports[0];
  event.waitUntil(save(languages).catch(() => false).then((ok) => {
    if (port) port.postMessage({ ok, languages });
  }));
});

function languageOf(key) {
  const first = key.slice(scope.length).split('/')[0];
  const lang = PRECACHE.moved[first] || first;
  return PRECACHE.languages[lang] ? lang : null;
}

// A copy of a response, labelled with the revision of its bytes.
async function labelled(response) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.set('x-revision', await revisionOf(body));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

// Fetch the page again and keep it if its bytes changed; true when the copy shown was older.
// (The new copy is what the site serves now: a new build's worker, installing meanwhile, checks
// its files against its own list.)
async function revalidate(request, key, cache, shown) {
  const fresh = await fetch(request, { cache: 'no-cache' });
  if (!fresh.ok) return false;
  const copy = await labelled(fresh);
  if (copy.headers.get('x-revision') === shown) return false;
  await cache.put(key, copy);
  return true;
}

const checking = new Map(); // page key -> the background check under way (resolves true if newer)

// A navigation's answer: the saved page at once, else the network. The same page asked for again
// while its check is under way (a reload) waits for that check, at most TIMEOUT, so it shows the
// newest copy. Resolves to [response, the saved copy shown or null] (a copy of it, if its revision
// must still be worked out from its bytes: the page reads the response's own).
const shownAs = (copy) => [copy, copy.headers.has('x-revision') ? copy : copy.clone()];
async function answer(event, key) {
  const cache = await opened;
  const saved = await cache.match(key);
  if (!saved) {
    const response = await fetch(event.request, { cache: 'no-cache' });
    if (response.ok && known.has(key)) event.waitUntil(labelled(response.clone()).then((copy) => cache.put(key, copy)));
    return [response, null];
  }
  const check = checking.get(key);
  if (!check) return shownAs(saved);
  const open = opens.get(key); // the check of the visit before waits for its page: start it now
  if (open) open();
  await Promise.race([check, new Promise((resolve) => setTimeout(resolve, TIMEOUT))]);
  return shownAs((await cache.match(key)) || saved);
}

// Once the page has its answer: fetch it again (unless that is under way), and if the copy shown
// turns out older, tell its page (which shows a notice with the date of its text).
async function checkShown(event, key, shownCopy, ready) {
  const cache = await opened;
  const shown = ready.then(async () => shownCopy.headers.get('x-revision') ||
    (await labelled(shownCopy)).headers.get('x-revision'));
  let check = checking.get(key);
  if (!check) {
    check = shown.then((revision) => revalidate(event.request, key, cache, revision))
      .catch(() => false); // no network: the copy stays
    checking.set(key, check);
    check.then(() => checking.delete(key));
  }
  const current = (await check) && event.resultingClientId && await cache.match(key);
  if (!current || current.headers.get('x-revision') === await shown) return;
  const client = await self.clients.get(event.resultingClientId);
  if (client) client.postMessage({ newer: true });
}

// A visit's background work waits until its page has loaded, so it never competes with the page
// for the phone's processor before the page is shown: the page says so (tools.js, after its load
// event), else SETTLE passes; the same page asked for again (a reload) ends the wait at once.
const SETTLE = 2000;
const opens = new Map(); // a page's client id, or its address -> ends the wait of that visit
function loaded(clientId, key) {
  return new Promise((resolve) => {
    const open = () => {
      for (const id of [clientId, key]) if (opens.get(id) === open) opens.delete(id);
      resolve();
    };
    if (clientId) opens.set(clientId, open);
    opens.set(key, open);
    setTimeout(open, SETTLE);
  });
}

function navigate(event, key) {
  const lang = languageOf(key);
  const answered = answer(event, key);
  const response = answered.then(([page]) => page, () => offlinePage(lang));
  event.respondWith(response);
  // Chained after respondWith's own reaction to the same promise: runs once the answer is on its way.
  event.waitUntil(response.then(() => answered).then(([, shown]) => {
    const ready = loaded(event.resultingClientId, key);
    return Promise.all([
      shown && checkShown(event, key, shown, ready).catch(() => { /* the page is gone */ }),
      lang && ready.then(readSaved).then((saved) => saved[lang] || save([lang])).catch(() => false),
    ]);
  }, () => { /* no page: nothing to check */ }));
}

async function networkFirst(request, key) {
  const cache = await opened;
  const network = fetch(request, { cache: 'no-cache' }).then(async (response) => {
    if (response.ok && known.has(key)) await cache.put(key, response.clone());
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, TIMEOUT));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch (error) {
    // No network: use the saved copy.
  }
  return (await cache.match(key)) || network;
}

// The offline page of the address's language (or a saved one), with a
// <base> so its links work from any address.
async function offlinePage(lang) {
  const saved = await readSaved();
  const order = [lang].concat(Object.keys(saved)).filter((l) => l && PRECACHE.offline[l]);
  for (const l of order) {
    const url = abs(PRECACHE.offline[l]);
    const copy = await caches.match(url);
    if (copy) {
      const html = (await copy.text()).replace('<head>', '<head><base href="' + url + '">');
      return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    }
  }
  return (await caches.match(abs('./'))) || Response.error();
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(scope)) return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  const key = url.href;
  if (request.mode === 'navigate') {
    navigate(event, key);
  } else if (key.startsWith(STATIC)) {
    event.respondWith(opened.then((cache) => cache.match(key)).then((hit) => hit || caches.match(key))
      .catch(() => null).then((hit) => hit || fetch(request)));
  } else if (known.has(key)) {
    event.respondWith(networkFirst(request, key));
  }
});
