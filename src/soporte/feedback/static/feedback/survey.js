// The survey page records the answer a link chose from the browser (READING.md §7): a link
// scanner fetches the page but runs no script, so only a person's browser sends this POST.
(function () {
  "use strict";
  var chosen = document.querySelector("[data-csat-autosubmit]");
  if (chosen && chosen.form) {
    var pending = document.querySelector("[data-csat-pending]");
    if (pending) { pending.hidden = true; }
    chosen.form.requestSubmit(chosen);
  }
})();
