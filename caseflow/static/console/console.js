// The idle limit, shown before it ends her session: the server ends a cookie session after
// data-idle-minutes without a request; this counts down from the page's load and says so.
(function () {
  "use strict";
  var body = document.body;
  var left = document.getElementById("idle-left");
  if (!left) { return; }
  var minutes = parseInt(body.getAttribute("data-idle-minutes"), 10) || 30;
  var ends = Date.now() + minutes * 60 * 1000;
  function tick() {
    var remaining = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var m = Math.floor(remaining / 60), s = remaining % 60;
    left.textContent = " (" + m + ":" + (s < 10 ? "0" : "") + s + ")";
    if (remaining <= 120) { left.parentElement.classList.add("idle-soon"); }
    if (remaining === 0) { window.location.assign(body.getAttribute("data-login-url")); return; }
    window.setTimeout(tick, 1000);
  }
  tick();
  // htmx requests carry the session's CSRF token as the API's X-CSRF-Token header.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrf_token]");
    if (token) { event.detail.headers["X-CSRF-Token"] = token.value; }
  });
})();
