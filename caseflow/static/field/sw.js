// The visitor's web app, offline (docs/console.md). Served from /static/field/ with a
// Service-Worker-Allowed header, it controls /visits only. It keeps the page without any
// visit in it (/visits/shell) and the files that page needs; her visit list and unsent logs
// are kept by the page itself, encrypted, in IndexedDB. Nothing else is cached: no API
// answer, no card, no case page.
"use strict";
var CACHE = "caseflow-field-v1";  // field.js clears caches named caseflow-field*
var SHELL = "/visits/shell";
var FILES = [
  "/static/vendor/bootstrap/bootstrap.min.css",
  "/static/vendor/htmx/htmx.min.js",
  "/static/console/console.css",
  "/static/console/console.js",
  "/static/field/field.css",
  "/static/field/field.js",
  "/static/field/shell.js",
  "/static/field/manifest.json",
  "/static/field/icon-192.png",
  "/static/field/icon-512.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(FILES.concat([SHELL]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE && n.indexOf("caseflow-field") === 0; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function refreshShell() {
  // The shell carries the session's CSRF token and the page's texts: kept current while
  // there is a connection; a shell that would be the sign-in page is not kept.
  return fetch(SHELL, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
    if (response.ok && response.type === "basic") {
      return caches.open(CACHE).then(function (cache) { return cache.put(SHELL, response); });
    }
    return null;
  }).catch(function () { return null; });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && (url.pathname === "/visits" || url.pathname === SHELL)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) { event.waitUntil(refreshShell()); }
      return response;
    }).catch(function () {
      return caches.match(SHELL).then(function (cached) {
        return cached || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    }));
    return;
  }
  if (FILES.indexOf(url.pathname) !== -1) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); }));
      }
      return response;
    }).catch(function () { return caches.match(url.pathname); }));
  }
});
