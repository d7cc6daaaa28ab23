/* The weekly review's disposition forms post with htmx; a refused disposition comes back as a
   400 with the item and its error, which htmx would not swap in by default: swap it for the
   forms marked data-swap-errors. A static file (the Content-Security-Policy forbids inline
   scripts). */
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && source && source.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
