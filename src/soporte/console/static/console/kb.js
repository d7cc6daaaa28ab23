/* Answering with an article: "Insert link" (in the reply box's knowledge base search) puts the
   article's public address, in the customer's language, into the reply at the cursor, on a
   line of its own. A static file (the Content-Security-Policy forbids inline scripts). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-insert]");
    var reply = document.getElementById("id_body");
    if (!button || !reply) { return; }
    var url = button.getAttribute("data-kb-insert");
    var start = reply.selectionStart || 0;
    var end = reply.selectionEnd || start;
    var before = reply.value.slice(0, start);
    var after = reply.value.slice(end);
    var text = (before && !/\n$/.test(before) ? "\n" : "") + url + (after && !/^\n/.test(after) ? "\n" : "");
    reply.value = before + text + after;
    var caret = before.length + text.length;
    reply.focus();
    reply.setSelectionRange(caret, caret);
    reply.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
