// Only on the page kept for use without signal (/visits/shell). The console's idle countdown
// sends her to the sign-in page when it runs out, which cannot load offline: she would lose
// her visits mid-visit. It is taken off this page before the console's script starts (that
// script runs after the document is parsed; this listener fires just before). The server's
// idle rule still ends her session: logs sent later then wait until she signs in again.
(function () {
  "use strict";
  document.addEventListener("readystatechange", function () {
    if (document.readyState !== "interactive") { return; }
    var limit = document.getElementById("idle-limit");
    if (limit) { limit.remove(); }
  });
})();
