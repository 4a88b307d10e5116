// The story form's "Publish" button says "Schedule for <time>" while the publication time is ahead.
// The label follows the date and time fields as they are edited; the server decides by the time it gets.
(function () {
  "use strict";
  var button = document.querySelector("input[name=_publish][data-schedule-label]");
  var date = document.getElementById("id_published_at_0");
  var time = document.getElementById("id_published_at_1");
  if (!button || !date || !time) {
    return;
  }
  var months = button.dataset.months.split("|");

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // Read text by one of Django's input formats (%Y, %m, %d, %H, %M, %S and literal characters).
  function parse(text, format) {
    var fields = [];
    var pattern = format.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&").replace(/%([YmdHMSf])/g, function (_, code) {
      fields.push(code);
      return code === "Y" ? "(\\d{4})" : code === "f" ? "(\\d{1,6})" : "(\\d{1,2})";
    });
    var match = new RegExp("^" + pattern + "$").exec(text.trim());
    if (!match) {
      return null;
    }
    var found = {};
    fields.forEach(function (code, i) {
      found[code] = parseInt(match[i + 1], 10);
    });
    return found;
  }

  function first(text, formats) {
    var list = formats.split("|");
    for (var i = 0; i < list.length; i += 1) {
      var found = parse(text, list[i]);
      if (found) {
        return found;
      }
    }
    return null;
  }

  // Write a moment by Django's date format characters the desk uses (j d M Y H i); others stay as typed.
  function format(moment, pattern) {
    var parts = {
      j: String(moment.getDate()),
      d: pad(moment.getDate()),
      M: months[moment.getMonth()],
      Y: String(moment.getFullYear()),
      H: pad(moment.getHours()),
      i: pad(moment.getMinutes()),
    };
    return pattern.replace(/\\?[jdMYHi]/g, function (code) {
      return code.charAt(0) === "\\" ? code.charAt(1) : parts[code];
    });
  }

  function chosen() {
    var day = first(date.value, button.dataset.dateFormats);
    var clock = time.value.trim() ? first(time.value, button.dataset.timeFormats) : { H: 0, M: 0 };
    if (!day || !clock) {
      return null;
    }
    // The desk's time zone is the browser's (desk-timezone.js tells the server), so local time is right.
    return new Date(day.Y, day.m - 1, day.d, clock.H || 0, clock.M || 0, clock.S || 0);
  }

  function relabel() {
    var moment = chosen();
    if (moment && moment.getTime() > Date.now()) {
      button.value = button.dataset.scheduleLabel.replace("%(when)s", format(moment, button.dataset.whenFormat));
    } else {
      button.value = button.dataset.publishLabel;
    }
  }

  [date, time].forEach(function (field) {
    field.addEventListener("input", relabel);
    field.addEventListener("change", relabel);
  });
  // The admin's calendar and clock shortcuts fill the fields from script, without an input event.
  date.closest(".form-row").addEventListener("click", function () {
    window.setTimeout(relabel, 0);
  });
  relabel();
})();
