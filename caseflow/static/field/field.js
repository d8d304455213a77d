// A visitor's phone view without signal (docs/console.md, docs/security.md).
//
// What the phone keeps lives in one IndexedDB database, "caseflow-field":
//   - "keys": one AES-GCM key made here by WebCrypto, not extractable (the browser's key
//     store holds it; no script, this one included, can read its bytes);
//   - "records": her visit list (case codes, days, windows, status: no name, address, phone,
//     narrative or risk answer) and the visit logs waiting for a connection, each sealed
//     with that key ({iv, data}); beside them a plain "meta" record: whose they are and when
//     they were saved, so they are wiped for another person or after the cache hours.
// Logs are sent to the API's own route with the Idempotency-Key made when she saved them:
// a retry, a reload or a second tab sends the same key, and the server keeps one log.
(function () {
  "use strict";
  var root = document.getElementById("field");
  if (!root) { return; }
  var DB_NAME = "caseflow-field";
  var SEND_LOCK = "caseflow-field-send";
  var hours = parseInt(root.getAttribute("data-cache-hours"), 10) || 12;
  var userId = root.getAttribute("data-user");
  var isShell = root.getAttribute("data-shell") === "true";
  var statusLine = document.getElementById("field-status");
  var dbPromise = null;
  var wipedForAge = false;  // said once on the page: what it kept was older than the limit

  function text(name) { return root.getAttribute("data-text-" + name) || ""; }
  function say(message) { if (statusLine) { statusLine.textContent = message; } }
  function csrf() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // -- the store ---------------------------------------------------------------------------
  function openDb() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("keys");
        request.result.createObjectStore("records");
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }
  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        Promise.resolve(work(t.objectStore(store))).then(function (value) { result = value; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function req(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function get(store, key) { return tx(store, "readonly", function (s) { return req(s.get(key)); }); }
  function put(store, key, value) { return tx(store, "readwrite", function (s) { s.put(value, key); }); }
  function del(store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); }
  function keysOf(store) { return tx(store, "readonly", function (s) { return req(s.getAllKeys()); }); }

  function wipe() {
    // Everything the page kept, and the web app's cached page (no visit data in it).
    var closing = dbPromise ? dbPromise.then(function (db) { db.close(); }) : Promise.resolve();
    dbPromise = null;
    return closing.then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }).then(function () {
      if (!window.caches) { return null; }
      return caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("caseflow-field") === 0; })
          .map(function (n) { return caches.delete(n); }));
      });
    });
  }

  function key() {
    return get("keys", "aes").then(function (found) {
      if (found) { return found; }
      return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (made) { return put("keys", "aes", made).then(function () { return made; }); });
    });
  }
  function seal(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    return key().then(function (k) {
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, k, plain);
    }).then(function (data) { return { iv: iv, data: new Uint8Array(data) }; });
  }
  function unseal(record) {
    if (!record) { return Promise.resolve(null); }
    return key().then(function (k) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, k, record.data);
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  // Another person's data, or data older than the limit, is wiped before anything is read.
  function checkMeta() {
    return get("records", "meta").then(function (meta) {
      var now = Date.now();
      if (meta && (meta.user !== userId || now - meta.saved_at > hours * 3600 * 1000)) {
        var expired = meta.user === userId;
        return wipe().then(function () { if (expired) { wipedForAge = true; say(text("expired")); } });
      }
      return null;
    });
  }
  function touchMeta() {
    return put("records", "meta", { user: userId, saved_at: Date.now() });
  }

  // -- the list --------------------------------------------------------------------------
  var LIST_FIELDS = ["id", "case_code", "kind", "status", "sequence", "due_on", "window_start", "window_end"];
  function keepList() {
    var url = root.getAttribute("data-list-url") + "&from=" + root.getAttribute("data-list-from") +
      "&to=" + root.getAttribute("data-list-to");
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("list " + response.status); }
        return response.json();
      }).then(function (page) {
        // Only what the list shows; a field the API might add later is not kept.
        var items = page.items.filter(function (item) { return !!item.id; }).map(function (item) {
          var kept = {};
          LIST_FIELDS.forEach(function (name) { kept[name] = item[name]; });
          return kept;
        });
        return seal({ items: items }).then(function (sealed) { return put("records", "visits", sealed); })
          .then(touchMeta);
      });
  }

  // The centre's day (the server's CASEFLOW_TIMEZONE), whatever zone the phone is set to.
  function localToday() {
    var zone = root.getAttribute("data-zone") || undefined;
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
        .format(new Date());
    } catch (e) {
      return new Date().toISOString().slice(0, 10);
    }
  }
  function renderKept() {
    return get("records", "visits").then(unseal).then(function (kept) {
      if (!kept) { if (!wipedForAge) { say(text("nothing")); } return; }
      say(text("offline"));
      var template = document.getElementById("visit-template");
      var today = localToday();
      kept.items.forEach(function (item) {
        var section = item.due_on < today ? "late" : (item.due_on === today ? "today" : "week");
        if (section === "late" && item.status !== "planned") { return; }
        var html = template.innerHTML.split("VISIT").join(item.id);
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var card = holder.firstElementChild;
        card.querySelector("[data-slot=case_code]").textContent = item.case_code;
        card.querySelector("[data-slot=kind]").textContent = text("kind-" + item.kind.replace(/_/g, "-")) || item.kind;
        card.querySelector("[data-slot=due_on]").textContent = item.due_on;
        card.querySelector("[data-slot=status]").textContent = text("status-" + item.status) || item.status;
        if (item.status !== "planned") {
          var details = card.querySelector("details");
          if (details) { details.remove(); }
        }
        var list = document.querySelector("[data-section=" + section + "] .visit-list");
        list.appendChild(card);
        list.parentElement.querySelector(".empty-note").hidden = true;
      });
      bindForms();
    });
  }

  // -- the queue -------------------------------------------------------------------------
  function newKey() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function bodyOf(form) {
    var outcome = form.querySelector("input[name=outcome]:checked");
    var body = { outcome: outcome ? outcome.value : "", happened_at: new Date().toISOString(),
      safety_concern: form.querySelector("input[name=safety_concern]").checked };
    var modality = form.querySelector("select[name=modality]").value;
    if (modality) { body.modality = modality; }
    var notes = form.querySelector("textarea[name=notes]").value;
    if (notes) { body.notes = notes; }
    var moved = form.querySelector("input[name=rescheduled_to]").value;
    if (moved) { body.rescheduled_to = new Date(moved).toISOString(); }
    return body;
  }
  function visitCard(visitId) { return document.getElementById("visit-" + visitId); }
  function mark(visitId, slot, message) {
    var card = visitCard(visitId);
    var place = card && card.querySelector("[data-slot=" + slot + "]");
    if (place) { place.textContent = message; }
  }

  function queue(form) {
    var visitId = form.getAttribute("data-visit");
    var name = "log:" + visitId;
    // One waiting log per visit: a second tap, or the same visit saved in another tab, is
    // the one already waiting (a transaction checks and writes at once).
    return get("records", name).then(function (existing) {
      if (existing) { mark(visitId, "queued", text("already")); return null; }
      return seal({ visit_id: visitId, key: newKey(), body: bodyOf(form) }).then(function (sealed) {
        return tx("records", "readwrite", function (store) {
          return req(store.get(name)).then(function (raced) {
            if (!raced) { store.put(sealed, name); }
          });
        });
      }).then(touchMeta).then(function () {
        mark(visitId, "queued", text("queued"));
        var details = visitCard(visitId).querySelector("details");
        if (details) { details.open = false; }
      });
    }).then(send);
  }

  function waiting() {
    return keysOf("records").then(function (names) {
      return names.filter(function (n) { return String(n).indexOf("log:") === 0; });
    });
  }
  function showWaiting() {
    return waiting().then(function (names) {
      if (names.length) { say(text("waiting").replace("{n}", names.length)); }
      names.forEach(function (n) {
        var card = visitCard(n.slice(4));
        var place = card && card.querySelector("[data-slot=queued]");
        if (place && !place.textContent) { place.textContent = text("queued"); }  // "already" stays
      });
    });
  }

  function sendOne(name) {
    return get("records", name).then(unseal).then(function (entry) {
      if (!entry) { return "gone"; }  // another tab sent it
      var url = root.getAttribute("data-log-url").replace("VISIT", entry.visit_id);
      return fetch(url, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json",
          "Idempotency-Key": entry.key, "X-CSRF-Token": csrf() },
        body: JSON.stringify(entry.body)
      }).then(function (response) {
        if (response.status === 401 || response.status === 403 || response.status === 429 || response.status >= 500) {
          return "later:" + response.status;
        }
        return response.json().catch(function () { return {}; }).then(function (answer) {
          // 201: logged (or the same key's log, answered again). 409: the visit was logged
          // already. Any other refusal is shown beside the visit; the log is not resent.
          return del("records", name).then(function () {
            if (response.status === 201) {
              mark(entry.visit_id, "queued", text("sent"));
              mark(entry.visit_id, "status", text("status-" + answer.outcome) || answer.outcome);
              var details = visitCard(entry.visit_id) && visitCard(entry.visit_id).querySelector("details");
              if (details) { details.remove(); }
            } else {
              mark(entry.visit_id, "queued", "");
              mark(entry.visit_id, "error", answer.message || String(response.status));
            }
            return "done";
          });
        });
      });
    });
  }

  var sending = false;
  function send() {
    if (!navigator.onLine || sending) { return showWaiting(); }
    sending = true;
    var run = function () {
      return waiting().then(function (names) {
        var chain = Promise.resolve("done");
        names.forEach(function (name) {
          chain = chain.then(function (previous) {
            if (String(previous).indexOf("later") === 0) { return previous; }
            return sendOne(name);
          });
        });
        return chain;
      });
    };
    // One tab sends at a time (the other finds the log gone or sends the same key).
    var locked = navigator.locks ? navigator.locks.request(SEND_LOCK, run) : run();
    return locked.then(function (last) {
      sending = false;
      if (last === "later:401" || last === "later:403") { say(text("signin")); return null; }
      return showWaiting();
    }, function () { sending = false; return showWaiting(); });
  }

  function bindForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form.log-form"), function (form) {
      if (form.getAttribute("data-bound") || form.getAttribute("data-visit") === "VISIT") { return; }
      form.setAttribute("data-bound", "1");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        mark(form.getAttribute("data-visit"), "error", "");
        queue(form);
      });
    });
  }

  // Signing out wipes what the phone keeps (the server also answers with Clear-Site-Data).
  Array.prototype.forEach.call(document.querySelectorAll("form[action$='/logout']"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-wiped")) { return; }
      event.preventDefault();
      wipe().then(function () { form.setAttribute("data-wiped", "1"); form.submit(); });
    });
  });

  if (isShell) {
    Array.prototype.forEach.call(document.querySelectorAll(".field-online"), function (el) { el.hidden = true; });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-worker"), { scope: root.getAttribute("data-scope") })
      .catch(function () { /* the page works without it, online */ });
  }
  if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }

  checkMeta().then(function () {
    bindForms();
    if (isShell) { return renderKept(); }
    return keepList().catch(function () { /* kept as it was */ });
  }).then(send).catch(function () { showWaiting(); });
  window.addEventListener("online", send);
  window.setInterval(function () { if (navigator.onLine) { send(); } }, 15000);
})();
