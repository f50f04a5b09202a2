/* Pocket guide service worker, written by the build.
   Pages: network first (3 s), then the saved copy, then an offline page.
   Hashed assets: cache first. One cache per build; old ones are deleted.
   Every saved file is checked against the sha256 revision the build listed. */
'use strict';
const PRECACHE = __PRECACHE__;
const NAMES = __NAMES__; // cache names shared with app.js, written by the build
const CACHE = NAMES.prefix + PRECACHE.version;
const META = NAMES.meta;
const TIMEOUT = 3000;
const scope = self.registration.scope;
const abs = (url) => new URL(url, scope).href;
const SAVED = abs(NAMES.saved);
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
  const cache = await caches.open(CACHE);
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

self.addEventListener('install', (event) => {
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

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
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
    const lang = languageOf(key);
    if (lang) event.waitUntil(readSaved().then((saved) => saved[lang] || save([lang])).catch(() => false));
    event.respondWith(networkFirst(request, key).catch(() => offlinePage(lang)));
  } else if (key.startsWith(abs('static/'))) {
    event.respondWith(caches.match(key).then((hit) => hit || fetch(request)));
  } else if (known.has(key)) {
    event.respondWith(networkFirst(request, key));
  }
});
