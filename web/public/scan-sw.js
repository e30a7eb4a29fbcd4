/* global self, caches, fetch, URL, Response */
// The door scanner's service worker (scope /scan): keeps the page and its files so that a scanner
// reloaded or reopened without a network still starts. The API is never cached (the page keeps
// its own door list and queue in IndexedDB).
const CACHE = 'onsale-door-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page sends the files it was built from (its own resource list): kept for offline starts.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'keep') return;
  const urls = event.data.urls.filter((url) => new URL(url).origin === self.location.origin);
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/scan', ...urls]))
      .then(() => event.source?.postMessage({ type: 'kept', count: urls.length + 1 })),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (event.request.mode === 'navigate') {
    // the page: fresh when the network answers, else the kept one
    event.respondWith(fetch(event.request).catch(() => caches.match('/scan').then((kept) => kept ?? Response.error())));
    return;
  }
  // hashed files never change: the kept copy first, else the network (and keep it)
  event.respondWith(
    caches.match(event.request).then(
      (kept) =>
        kept ??
        fetch(event.request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(event.request, copy));
          }
          return response;
        }),
    ),
  );
});
