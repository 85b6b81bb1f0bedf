/* Small enhancements shared by every page. Loaded with defer; no inline scripts anywhere (CSP). */
(function () {
  "use strict";

  // "Copy" buttons next to shortened hashes: shown only when the clipboard can be written.
  function enableCopyButtons(root) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.classList.add("is-copied");
          button.setAttribute("aria-label", button.dataset.copiedLabel);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enableCopyButtons(document);
  });
})();
