// Name the admin's autocomplete boxes (select2) from their field's label. select2 names its combobox only
// by the value shown, so an empty box has no name a screen reader can say (axe: aria-input-field-name).
"use strict";
(function () {
  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const box = select.parentElement.querySelector(".select2-selection[role=combobox]");
      if (!box) {
        return;
      }
      // The field's label, or in a table of rows (which has column headings, not labels) the name the
      // server gave the select itself ("Person, row 2").
      let nameId = select.id + "-name";
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label) {
        label.id = label.id || nameId;
        nameId = label.id;
      } else if (select.getAttribute("aria-label") && !document.getElementById(nameId)) {
        const name = document.createElement("span");
        name.id = nameId;
        name.hidden = true;
        name.textContent = select.getAttribute("aria-label");
        select.parentElement.appendChild(name);
      } else if (!document.getElementById(nameId)) {
        return;
      }
      const shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", shown && shown.id ? nameId + " " + shown.id : nameId);
      if (shown && shown.getAttribute("role")) {
        // select2 makes the value shown a read-only textbox of its own: it takes the field's name too.
        shown.setAttribute("aria-labelledby", nameId);
      }
    });
  }
  function later(root) {
    // Django's autocomplete.js makes the boxes when the page is ready, or when a row is added.
    window.setTimeout(function () { nameComboboxes(root); }, 0);
  }
  document.addEventListener("DOMContentLoaded", function () { later(document); });
  document.addEventListener("formset:added", function (event) { later(event.target); });
})();
