// Follows the compiles shown on a matter page: polls each bundle's status URL until it is ready or failed.
(function () {
  "use strict";
  var POLL_MS = 1500;

  function follow(cell) {
    var url = cell.getAttribute("data-status-url");
    var bar = cell.querySelector(".bundle-progress");
    var note = cell.querySelector(".bundle-progress__message");
    var badge = cell.querySelector(".status");
    var error = cell.querySelector(".bundle-error");
    var link = cell.parentNode.querySelector(".bundle-download a");

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (state) {
          badge.textContent = state.status_display;
          badge.className = "status status--" + state.status;
          if (bar) { bar.value = state.progress; bar.textContent = state.progress + "%"; }
          if (note) { note.textContent = state.message; }
          if (state.status === "ready") {
            if (bar) { bar.hidden = true; }
            if (link && state.download_url) { link.href = state.download_url; link.hidden = false; }
            cell.setAttribute("data-state", "ready");
          } else if (state.status === "failed") {
            if (bar) { bar.hidden = true; }
            error.textContent = state.error;
            error.hidden = false;
            cell.setAttribute("data-state", "failed");
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 4); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cells = document.querySelectorAll("[data-status-url]");
    for (var i = 0; i < cells.length; i++) { follow(cells[i]); }
  });
})();
