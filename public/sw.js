// Kring's service worker: keeps a copy of the agenda and of each unit a
// person opened, and shows that copy, marked as an offline copy with the time
// it was saved, when the network is gone. The stylesheet (named after its
// content, so a copy never goes stale) is kept for those copies. Nothing else
// is kept or answered here. Logging out clears all of it (Clear-Site-Data).
'use strict';

const PAGES = 'kring-pages-1';
const FILES = 'kring-files-1';
// The agenda's first page and unit pages: what someone on a train rereads.
const KEPT_PAGES = [/^\/sessions$/, /^\/units\/\d+$/];
const SAVED_AT = 'x-kring-saved-at';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const current = [PAGES, FILES];
    for (const name of await caches.keys()) {
      if (!current.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && !url.search && KEPT_PAGES.some((path) => path.test(url.pathname))) {
    event.respondWith(pageOrCopy(request, url));
  } else if (url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.css')) {
    event.respondWith(keptFile(request));
  }
});

/** The page from the network, keeping a copy; the copy when offline. */
async function pageOrCopy(request, url) {
  const cache = await caches.open(PAGES);
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    const copy = await cache.match(url.pathname);
    if (!copy) throw offline;
    return markedCopy(copy);
  }
  const type = response.headers.get('content-type') || '';
  if (response.ok && !response.redirected && type.startsWith('text/html')) {
    const headers = new Headers(response.headers);
    headers.set(SAVED_AT, String(Date.now()));
    const body = await response.clone().arrayBuffer();
    await cache.put(url.pathname, new Response(body, { status: 200, headers }));
  } else if (response.status === 401 || response.status === 403 || response.status === 404) {
    // Gone or no longer theirs: no copy outlives it.
    await cache.delete(url.pathname);
  }
  return response;
}

/** A content-named file: kept once fetched, never asked for again. */
async function keptFile(request) {
  const cache = await caches.open(FILES);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/**
 * The saved page with its offline notice shown: the page carries the notice
 * hidden, in its reader's language, with an empty place for the time.
 */
async function markedCopy(copy) {
  const html = await copy.text();
  const savedAt = Number(copy.headers.get(SAVED_AT)) || Date.now();
  const language = (/<html[^>]*\blang="([a-z]{2})"/.exec(html) || [])[1] || 'en';
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })
    .format(new Date(savedAt));
  const marked = html
    .replace(/<p([^>]*\bclass="offline-copy"[^>]*)>/,
      (tag, attributes) => `<p${attributes.replace(/\s+hidden(="")?/, '')}>`)
    .replace('<time class="offline-time"></time>',
      `<time class="offline-time" datetime="${new Date(savedAt).toISOString()}">${escapeText(when)}</time>`);
  const headers = new Headers(copy.headers);
  headers.delete('content-length');
  return new Response(marked, { status: 200, headers });
}

function escapeText(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
