// Behaviour the pages ask for with data attributes (no inline scripts: see the
// Content-Security-Policy in soporte.config.middleware).
(function () {
  "use strict";
  // <select data-submit-on-change>: choosing an option sends its form (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-submit-on-change]") && target.form) {
      target.form.submit();
    }
  });
  // <input data-select-on-click>: a click selects the whole value, ready to copy.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-select-on-click]")) {
      target.select();
    }
  });
})();
