// The picture chooser of the story form (articles/desk/pictures.py): a dialog with a searchable grid of
// pictures and an upload. The grid, the upload fields and their errors come from the server as HTML.
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content;
  }

  function setUp(root) {
    var value = root.querySelector(".picture-chooser-value");
    var thumb = root.querySelector(".picture-chooser-thumb");
    var captionOnly = root.querySelector(".picture-chooser-summary .picture-caption-only");
    var words = root.querySelector(".picture-chooser-words");
    var openButton = root.querySelector(".picture-chooser-open");
    var clearButton = root.querySelector(".picture-chooser-clear");
    // The dialog holds forms of its own, which may not sit inside the story's form: move it out.
    var dialog = root.querySelector(".picture-chooser-template").content.firstElementChild.cloneNode(true);
    document.body.appendChild(dialog);
    var search = dialog.querySelector(".picture-chooser-search");
    var query = search.querySelector("input[type=search]");
    var results = dialog.querySelector(".picture-chooser-results");
    var upload = dialog.querySelector(".picture-chooser-upload");
    var uploadForm = upload.querySelector("form");
    var uploadFields = upload.querySelector(".picture-chooser-upload-fields");
    var drop = upload.querySelector(".picture-chooser-drop");
    uploadFields.tabIndex = -1; // where focus goes when the errors name no field
    var typing = null;
    var asked = 0;

    function show(button) {
      var chosen = Boolean(button);
      value.value = chosen ? button.dataset.pictureId : "";
      thumb.hidden = !(chosen && button.dataset.thumbnail);
      if (!thumb.hidden) {
        thumb.src = button.dataset.thumbnail;
        thumb.alt = button.dataset.alt;
      }
      captionOnly.hidden = !(chosen && button.hasAttribute("data-caption-only"));
      words.textContent = chosen ? button.dataset.words : words.dataset.empty;
      clearButton.hidden = !chosen;
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function load(page) {
      var params = new URLSearchParams({ q: query.value, chosen: value.value });
      if (page) {
        params.set("page", page);
      }
      var mine = ++asked;
      results.setAttribute("aria-busy", "true");
      fetch(root.dataset.chooserUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          if (mine !== asked) {
            return; // an answer to words typed since
          }
          results.replaceChildren(fragment(html));
          results.setAttribute("aria-busy", "false");
        });
    }

    function loadUploadFields() {
      fetch(root.dataset.uploadUrl, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          return; // no permission to add pictures: the upload stays hidden
        }
        return response.text().then(function (html) {
          uploadFields.replaceChildren(fragment(html));
          upload.hidden = false;
        });
      });
    }

    openButton.addEventListener("click", function () {
      dialog.showModal();
      query.focus();
      load();
      if (upload.hidden) {
        loadUploadFields();
      }
    });
    dialog.querySelector(".picture-chooser-close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      openButton.focus();
    });
    clearButton.addEventListener("click", function () {
      show(null);
      openButton.focus();
    });

    search.addEventListener("submit", function (event) {
      event.preventDefault();
      load();
    });
    query.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(load, 250);
    });
    results.addEventListener("click", function (event) {
      var item = event.target.closest(".picture-grid-item");
      var pager = event.target.closest("[data-page]");
      if (item) {
        show(item);
        dialog.close();
      } else if (pager) {
        load(pager.dataset.page);
      }
    });

    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = uploadForm.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(root.dataset.uploadUrl, {
        method: "POST",
        body: new FormData(uploadForm),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          return response.text().then(function (html) {
            if (response.status === 201) {
              var item = fragment(html).querySelector(".picture-grid-item");
              show(item);
              uploadForm.reset();
              dialog.close();
              loadUploadFields();
              return;
            }
            uploadFields.replaceChildren(fragment(html));
            var invalid = uploadFields.querySelector("[aria-invalid=true], .errorlist");
            var field = invalid && invalid.closest(".picture-chooser-field");
            var focusable = field && field.querySelector("input, textarea");
            (focusable || uploadFields).focus();
          });
        })
        .finally(function () {
          button.disabled = false;
        });
    });

    // Drag and drop: a file dropped anywhere on the upload goes into its file field.
    ["dragenter", "dragover"].forEach(function (name) {
      upload.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("dragging");
      });
    });
    upload.addEventListener("dragleave", function () {
      drop.classList.remove("dragging");
    });
    upload.addEventListener("drop", function (event) {
      event.preventDefault();
      drop.classList.remove("dragging");
      var file = uploadForm.querySelector("input[type=file]");
      if (file && event.dataTransfer && event.dataTransfer.files.length) {
        file.files = event.dataTransfer.files;
        drop.textContent = event.dataTransfer.files[0].name;
        var alt = uploadForm.querySelector("input[name$=alt_text]");
        if (alt) {
          alt.focus();
        }
      }
    });
  }

  function start() {
    document.querySelectorAll(".picture-chooser").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
