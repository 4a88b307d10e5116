// The soft lock, from the page's side: say which tab this is, keep the note alive while the story is open,
// and drop it when the tab is left. The server answers each beat with the notice to show, if any.
(function () {
  "use strict";
  var root = document.getElementById("desk-editing");
  var form = root && root.closest("form");
  if (!root || !form || !window.fetch) {
    return;
  }
  var notice = root.querySelector(".desk-editing-notice");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var key = "desk-tab";
  var tab;
  try {
    tab = window.sessionStorage.getItem(key);
    if (!tab) {
      tab = root.dataset.tab;
      window.sessionStorage.setItem(key, tab);
    }
  } catch (error) {
    tab = root.dataset.tab; // storage refused: one id per page is the best there is
  }

  function body(action) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("tab", tab);
    data.append("action", action);
    return data;
  }

  function show(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function beat() {
    fetch(root.dataset.url, { method: "POST", body: body("hold"), credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          show(answer.notice);
        }
      })
      .catch(function () {});
  }

  beat();
  var timer = window.setInterval(beat, Number(root.dataset.heartbeat) * 1000);
  window.addEventListener("pagehide", function () {
    window.clearInterval(timer);
    navigator.sendBeacon(root.dataset.url, body("release"));
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      // Back from the browser's page cache: the note was dropped on leaving, so take it again.
      beat();
      timer = window.setInterval(beat, Number(root.dataset.heartbeat) * 1000);
    }
  });
})();
