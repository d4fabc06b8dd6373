// Keeps a round's page current while its groups are formed: asks the API for the job's
// progress every two seconds and reloads the page once the search has ended. Without
// JavaScript the page's own "refresh" link does the same.
(function () {
  "use strict";
  var bar = document.getElementById("round-progress");
  if (!bar) { return; }
  var url = bar.getAttribute("data-api");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (round) {
        if (!round) { return; }
        bar.value = round.progress;
        if (round.job_status !== "queued" && round.job_status !== "running") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
