/* Pocket guide service worker, written by the build.
   Pages: network first (3 s), then the saved copy, then an offline page.
   Hashed assets: cache first. One cache per build; old ones are deleted. */
'use strict';
const PRECACHE = __PRECACHE__;
const PREFIX = 'pocket-guide-';
const CACHE = PREFIX + PRECACHE.version;
const META = PREFIX + 'meta';
const TIMEOUT = 3000;
const scope = self.registration.scope;
const abs = (url) => new URL(url, scope).href;
const SAVED = abs('__saved.json');
const known = new Set();
PRECACHE.shared.forEach(([url]) => known.add(abs(url)));
Object.values(PRECACHE.languages).forEach((list) => list.forEach(([url]) => known.add(abs(url))));

async function readSaved() {
  const response = await (await caches.open(META)).match(SAVED);
  return response ? response.json() : {};
}

async function writeSaved(saved) {
  const body = JSON.stringify(saved);
  await (await caches.open(META)).put(SAVED, new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

// Cache each entry, reusing a copy of the same revision from an older cache.
async function fill(entries) {
  const cache = await caches.open(CACHE);
  await Promise.all(entries.map(async ([url, revision]) => {
    const key = abs(url);
    if (await cache.match(key)) return;
    let response = await caches.match(key);
    if (!response || response.headers.get('x-revision') !== revision) {
      const fresh = await fetch(key, { cache: 'no-cache' });
      if (!fresh.ok) throw new Error(key + ' answered ' + fresh.status);
      const headers = new Headers(fresh.headers);
      headers.set('x-revision', revision);
      response = new Response(await fresh.blob(), { status: fresh.status, statusText: fresh.statusText, headers });
    }
    await cache.put(key, response);
  }));
}

async function save(languages) {
  const wanted = languages.filter((lang) => PRECACHE.languages[lang]);
  for (const lang of wanted) await fill(PRECACHE.languages[lang]);
  const saved = await readSaved();
  const now = new Date().toISOString();
  wanted.forEach((lang) => { saved[lang] = now; });
  await writeSaved(saved);
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await fill(PRECACHE.shared);
    await save(Object.keys(await readSaved()));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE && name !== META)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const want = event.data && event.data.save;
  if (!want) return;
  const languages = want === '*' ? Object.keys(PRECACHE.languages) : [want];
  const port = event.ports[0];
  event.waitUntil(save(languages).then(() => true, () => false).then((ok) => {
    if (port) port.postMessage({ ok, languages });
  }));
});

function languageOf(key) {
  const first = key.slice(scope.length).split('/')[0];
  return PRECACHE.languages[first] ? first : null;
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
    if (lang) event.waitUntil(readSaved().then((saved) => saved[lang] || save([lang])).catch(() => {}));
    event.respondWith(networkFirst(request, key).catch(() => offlinePage(lang)));
  } else if (key.startsWith(abs('static/'))) {
    event.respondWith(caches.match(key).then((hit) => hit || fetch(request)));
  } else if (known.has(key)) {
    event.respondWith(networkFirst(request, key));
  }
});
