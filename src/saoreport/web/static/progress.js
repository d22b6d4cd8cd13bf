// The progress of a build (or archiving) said in the page's live region while it runs; the
// page reloads when it is done. Without scripts the page refreshes itself (<noscript>).
(function () {
  "use strict";
  var shown = document.getElementById("progress");
  if (!shown || shown.dataset.running !== "1") { return; }
  var number = shown.dataset.number;
  function ask() {
    fetch(shown.dataset.state, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.said && shown.textContent !== s.said) { shown.textContent = s.said; }
        if (String(s.number) !== number || s.state === "done" || s.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(ask, 500);
        }
      })
      .catch(function () { window.setTimeout(ask, 2000); });
  }
  window.setTimeout(ask, 300);
})();
