/* After a server-side form error, move focus to the error summary (a page's first
   ".error-summary", which has tabindex="-1"): screen readers announce it and the keyboard starts
   there, instead of at the top of the page. A static file, never inline, so that the
   Content-Security-Policy may forbid inline scripts. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
