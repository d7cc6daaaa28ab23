/* The article editor: an uploaded image's Markdown goes into the text at the cursor, and the
   preview follows (a refused upload's 400 is swapped in by review.js's data-swap-errors). A
   static file: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var snippet = event.detail.target.querySelector("[data-kb-image]");
    var body = document.querySelector("textarea.kb-body");
    if (!snippet || !body) {
      return;
    }
    var at = body.selectionStart || body.value.length;
    var text = "\n" + snippet.value + "\n";
    body.value = body.value.slice(0, at) + text + body.value.slice(body.selectionEnd || at);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
