// Leaving the story form with changes not saved asks first; saving (any submit button) does not.
(function () {
  "use strict";
  var form = document.querySelector("#content-main form[method=post]");
  if (!form) {
    return;
  }
  var changed = false;
  form.addEventListener("input", function () {
    changed = true;
  });
  form.addEventListener("change", function () {
    changed = true;
  });
  form.addEventListener("submit", function () {
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when a value is set
    }
  });
})();
