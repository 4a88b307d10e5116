// Autosave on the story's change form: while someone types, a private draft copy of the form is posted
// every few seconds (data-interval, 15 by default). It reads the form as the browser would submit it
// (FormData), so a rich-text editor that keeps a hidden textarea in step is saved like any field.
// Restore fills the form back from the copy the page carries (json_script), and says what it did.
(function () {
  "use strict";
  // The admin's JavaScript catalogue (jsi18n), loaded on the change form, translates; without it, English.
  var t = window.gettext || function (text) { return text; };
  var fmt = window.interpolate || function (text, values) {
    return text.replace(/%\(\w+\)s/g, function (m) { return values[m.slice(2, -2)]; });
  };

  function start() {
    var status = document.getElementById("desk-autosave");
    var form = document.getElementById("article_form");
    if (!status || !form) {
      return;
    }
    var seconds = parseFloat(status.getAttribute("data-interval"));
    var interval = (seconds > 0 ? seconds : 15) * 1000;
    var url = status.getAttribute("data-url");
    var sent = snapshot();
    var busy = false;
    var leaving = false;

    function snapshot() {
      var pairs = [];
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string") {
          pairs.push(key + "=" + value);
        }
      });
      return pairs.join("\u0000");
    }

    function say(text) {
      status.textContent = text;
    }

    function tick() {
      if (busy || leaving) {
        return;
      }
      var now = snapshot();
      if (now === sent) {
        return; // nothing typed since the last copy
      }
      busy = true;
      // URL-encoded rather than multipart: the server parses it in a fraction of the time. The form's own
      // CSRF token travels with it; the server keeps only the story's fields.
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string") {
          body.append(key, value);
        }
      });
      fetch(url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok) {
            return response.json().then(function (answer) {
              sent = now;
              say(
                fmt(t("Unsaved changes kept as a draft copy at %(time)s."), { time: answer.saved_at }, true) +
                  (answer.story_saved_since ? " " + t("Someone has saved the story since you opened it.") : "")
              );
            });
          }
          if (response.status === 413) {
            say(t("The story is too long to keep a draft copy of. Save it to keep your changes."));
          } else if (response.status === 403) {
            say(t("You may no longer change this story: no draft copy was kept."));
          } else {
            say(t("No draft copy could be kept just now; your changes are still in this form."));
          }
        })
        .catch(function () {
          say(t("No draft copy could be kept just now; your changes are still in this form."));
        })
        .finally(function () {
          busy = false;
        });
    }

    form.addEventListener("submit", function () {
      leaving = true; // saving the story deletes the copy: do not write a new one behind it
    });
    window.setInterval(tick, interval);

    var restore = document.getElementById("desk-draft-restore");
    var stored = document.getElementById("desk-draft-data");
    if (restore && stored) {
      restore.hidden = false;
      restore.addEventListener("click", function () {
        var copy = JSON.parse(stored.textContent);
        var missed = fill(copy.typed || {}, "");
        fill(copy.opened || {}, "initial-");
        var version = form.elements.namedItem("opened_version");
        if (version) {
          version.value = restore.getAttribute("data-opened-version");
        }
        var offer = document.getElementById("desk-draft-offer");
        if (offer) {
          offer.hidden = true;
        }
        say(
          fmt(t("Restored your unsaved changes from %(time)s. Check them, then save the story."), {
            time: restore.getAttribute("data-saved-at")
          }, true) +
            (missed.length ? " " + fmt(t("Not restored, set again by hand: %(fields)s."), {
              fields: missed.join(", ")
            }, true) : "")
        );
        status.setAttribute("tabindex", "-1");
        status.focus();
      });
    }

    // Return the labels of the fields whose value could not be put back (a chooser that no longer offers it).
    function fill(values, prefix) {
      var changed = [];
      var missed = [];
      Object.keys(values).forEach(function (name) {
        var field = form.elements.namedItem(prefix + name);
        if (!field) {
          return;
        }
        if (field instanceof RadioNodeList) {
          field.value = values[name];
        } else if (field.type === "checkbox") {
          field.checked = values[name] === "on" || values[name] === "true";
        } else {
          field.value = values[name];
          // The body's rich-text editor (desk-editor.js) shows the textarea it keeps in step with.
          var editorRoot = field.closest && field.closest("[data-body-editor]");
          if (editorRoot && editorRoot.bodyEditor) {
            editorRoot.bodyEditor.commands.setContent(values[name]);
            field.value = values[name];
          }
          if (field.tagName === "SELECT" && field.value !== values[name]) {
            var label = field.labels && field.labels[0];
            missed.push(label ? label.textContent.replace(/:\s*$/, "") : name);
          }
        }
        changed.push(field);
      });
      // Editors that mirror a field listen for input; change is left alone, so that a restored headline
      // does not write a new slug over the restored one.
      changed.forEach(function (field) {
        if (field.dispatchEvent) {
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      return missed;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
