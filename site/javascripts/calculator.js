// The deadline calculator: the same sums as `complaints show` (core/working_days.py,
// Calendar.add; core/lifecycle.py, Clock), from the working-day calendar the build
// publishes (calendar.json). Day zero is the date we received the complaint, whatever day
// it is. Each step counts its own way (its `unit`): N working days end on the N-th working
// day after day zero; N calendar days on the first working day from day zero + N; N
// calendar days exactly on day zero + N, whatever day that is. A response that counts from
// the acknowledgement counts from the day the acknowledgement is due: the latest it can be.
(function () {
  "use strict";

  var DAY = 86400000;

  function parse(iso) {
    var parts = iso.split("-").map(Number);
    return Date.UTC(parts[0], parts[1] - 1, parts[2]);
  }

  function iso(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  function Calendar(data) {
    this.first = parse(data.first);
    this.last = parse(data.last);
    this.days = data.days;
    this.weekend = data.weekend;
    this.closed = {};
    for (var i = 0; i < data.closed.length; i++) this.closed[data.closed[i]] = true;
  }

  Calendar.prototype.isWorking = function (time) {
    if (time < this.first || time > this.last) throw new RangeError("outside the calendar");
    var weekday = (new Date(time).getUTCDay() + 6) % 7; // 0 = Monday, as in Python
    return this.weekend.indexOf(weekday) < 0 && !this.closed[iso(time)];
  };

  Calendar.prototype.nextWorking = function (time) {
    while (!this.isWorking(time)) time += DAY;
    return time;
  };

  Calendar.prototype.add = function (start, n, unit) {
    unit = unit || this.days;
    if (unit === "calendar-exact") {
      // No working day is looked up: the dates must still be the calendar's own.
      if (start < this.first || start + n * DAY > this.last) {
        throw new RangeError("outside the calendar");
      }
      return start + n * DAY;
    }
    if (unit === "calendar") return this.nextWorking(start + n * DAY);
    if (unit !== "working") throw new Error("unknown unit " + unit);
    if (n === 0) return this.nextWorking(start);
    var day = start;
    while (n > 0) {
      day += DAY;
      if (this.isWorking(day)) n -= 1;
    }
    return day;
  };

  // Dates in the Gregorian calendar, as everywhere else on the site; where the language's
  // own calendar is another (Persian's is the Solar Hijri), the date says which it is.
  function show(element, time, language) {
    element.setAttribute("datetime", iso(time));
    var text = new Intl.DateTimeFormat(language + "-u-ca-gregory", {
      dateStyle: "full", timeZone: "UTC"
    }).format(new Date(time));
    if (new Intl.DateTimeFormat(language).resolvedOptions().calendar !== "gregory") {
      var name = new Intl.DisplayNames([language], {type: "calendar"}).of("gregory");
      text += " (" + name + ")";
    }
    element.textContent = text;
  }

  function setUp(form) {
    var result = document.getElementById("calculator-result");
    var error = document.getElementById("calculator-error");
    var language = form.getAttribute("data-lang");
    var loaded = fetch(form.getAttribute("data-calendar")).then(function (response) {
      return response.json();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      loaded.then(function (data) {
        var calendar = new Calendar(data);
        var value = form.elements.date.value;
        result.hidden = true;
        error.hidden = true;
        if (!value) {
          error.textContent = form.getAttribute("data-invalid");
          error.hidden = false;
          return;
        }
        try {
          var start = parse(value);
          // The targets in force on the day the clock starts: the newest version from then.
          var version = data.versions[0];
          data.versions.forEach(function (v) { if (v.from <= value) version = v; });
          var stage = form.elements.stage.value;
          var targets = version.targets[stage];
          // Each step's unit, and where the response counts from (none: as the calendar).
          var counting = (version.counting || {})[stage] || {};
          var acknowledge = calendar.add(start, targets.acknowledge, counting.acknowledge);
          var fromAcknowledgement = counting.respond_from === "acknowledgement";
          var respond = calendar.add(fromAcknowledgement ? acknowledge : start,
                                     targets.respond[form.elements.priority.value],
                                     counting.respond);
          show(document.getElementById("calculator-acknowledge"), acknowledge, language);
          show(document.getElementById("calculator-respond"), respond, language);
          document.getElementById("calculator-from-acknowledgement").hidden = !fromAcknowledgement;
          result.hidden = false;
        } catch (problem) {
          if (!(problem instanceof RangeError)) throw problem;
          error.textContent = form.getAttribute("data-out-of-range")
            .replace("{first}", data.first).replace("{last}", data.last);
          error.hidden = false;
        }
      });
    });
  }

  var form = document.getElementById("calculator");
  if (form) setUp(form);
})();
