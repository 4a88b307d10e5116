// A story's tags in one box: the tag being typed (after the last comma) is looked up among the newsroom's
// tags and offered in the box's suggestion list; Enter finishes the name instead of saving the form.
// A name that no tag has yet becomes a new tag when the story is saved.
(function () {
  "use strict";

  function split(value) {
    var comma = value.lastIndexOf(",");
    var before = comma < 0 ? "" : value.slice(0, comma + 1).replace(/\s*$/, " ");
    return { before: before.replace(/^\s+/, ""), typed: value.slice(comma + 1).trim() };
  }

  function setUp(input) {
    var url = input.getAttribute("data-tag-suggestions");
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var status = document.createElement("p");
    status.className = "help";
    status.id = input.id + "-status";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(status, list.nextSibling);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);
    var known = {};
    var timer = null;
    var asked = null;

    function suggest() {
      var parts = split(input.value);
      if (!parts.typed || parts.typed === asked) {
        return;
      }
      asked = parts.typed;
      fetch(url + "?q=" + encodeURIComponent(parts.typed), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (answer) {
          var now = split(input.value);
          if (now.typed !== parts.typed) {
            return; // the editor has typed on; a later answer will come
          }
          list.replaceChildren();
          answer.results.forEach(function (name) {
            known[name.toLowerCase()] = true;
            var option = document.createElement("option");
            option.value = now.before + name + ", ";
            option.textContent = name;
            list.appendChild(option);
          });
        })
        .catch(function () {
          asked = null; // offline for a moment: ask again on the next key
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      event.preventDefault();
      var parts = split(input.value);
      if (!parts.typed) {
        return;
      }
      input.value = parts.before + parts.typed + ", ";
      list.replaceChildren();
      asked = null;
      status.textContent = known[parts.typed.toLowerCase()]
        ? "“" + parts.typed + "” added."
        : "“" + parts.typed + "” added; it becomes a new tag when you save, unless it exists already.";
    });
  }

  function setUpAll() {
    document.querySelectorAll("input[data-tag-suggestions]").forEach(setUp);
  }

  // Form media load in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
