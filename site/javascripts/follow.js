// "Follow your complaint": the same derivation as complaints_register.core.tracking, with
// WebCrypto. PBKDF2-SHA256 of the code, salted with the ID, gives a master key; HMAC-SHA256
// of it gives the entry's name ("name") and its AES-GCM key ("key"). The one bucket file
// that would hold the name is read from this site; nothing else is requested.
(function () {
  "use strict";
  var form = document.getElementById("follow");
  var settings = document.getElementById("follow-config");
  if (!form || !settings) return;
  var config = JSON.parse(settings.textContent);
  var words = config.words;
  var encoder = new TextEncoder();
  var CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  function show(id, visible) { document.getElementById(id).hidden = !visible; }

  function code(text) {
    var letters = text.toUpperCase().replace(/[\s-]/g, "")
      .replace(/O/g, "0").replace(/[IL]/g, "1");
    if (letters.length !== config.codeLength) return null;
    for (var i = 0; i < letters.length; i++) {
      if (CROCKFORD.indexOf(letters[i]) < 0) return null;
    }
    return letters;
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function hmac(master, label) {
    return crypto.subtle.importKey("raw", master, {name: "HMAC", hash: "SHA-256"}, false, ["sign"])
      .then(function (key) { return crypto.subtle.sign("HMAC", key, encoder.encode(label)); });
  }

  function derive(id, canonical) {
    return crypto.subtle.importKey("raw", encoder.encode(canonical), "PBKDF2", false, ["deriveBits"])
      .then(function (key) {
        return crypto.subtle.deriveBits(
          {name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(config.salt + id),
           iterations: config.iterations}, key, 256);
      })
      .then(function (master) {
        return Promise.all([hmac(master, "name"), hmac(master, "key")]);
      })
      .then(function (both) {
        return {name: hex(both[0].slice(0, config.nameBytes)), key: both[1]};
      });
  }

  function opened(content, rawKey) {
    var raw = Uint8Array.from(atob(content), function (c) { return c.charCodeAt(0); });
    return crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["decrypt"])
      .then(function (key) {
        return crypto.subtle.decrypt({name: "AES-GCM", iv: raw.slice(0, 12)}, key, raw.slice(12));
      })
      .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  function day(iso) {
    var format = new Intl.DateTimeFormat(config.lang + "-u-ca-gregory",
                                         {dateStyle: "long", timeZone: "UTC"});
    return format.format(new Date(iso + "T00:00:00Z"));
  }

  function time(iso) {
    var element = document.createElement("time");
    element.setAttribute("datetime", iso);
    element.textContent = day(iso);
    return element;
  }

  function sentence(element, template, iso) {
    // The words around {date}, with the date as a <time>.
    element.textContent = "";
    var parts = template.split("{date}");
    element.appendChild(document.createTextNode(parts[0]));
    if (parts.length > 1) {
      var when = time(iso);
      when.id = "follow-due";
      element.appendChild(when);
      element.appendChild(document.createTextNode(parts.slice(1).join("{date}")));
    }
  }

  function answer(found) {
    var status = document.getElementById("follow-status");
    status.textContent = words.statuses[found.status] || found.status;
    status.setAttribute("data-status", found.status);
    var stage = document.getElementById("follow-stage");
    stage.textContent = words.stages[String(found.stage)] || String(found.stage);
    stage.setAttribute("data-stage", String(found.stage));
    var next = document.getElementById("follow-next");
    if (found.next && found.due) {
      sentence(next, words.next[found.next] || "{date}", found.due);
      next.setAttribute("data-next", found.next);
    } else {
      next.textContent = words.nothing_due;
      next.removeAttribute("data-next");
    }
    var changed = document.getElementById("follow-changed");
    changed.setAttribute("datetime", found.changed);
    changed.textContent = day(found.changed);
    show("follow-result", true);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ["follow-result", "follow-not-found", "follow-error"].forEach(function (id) { show(id, false); });
    var id = form.elements.id.value.trim().toUpperCase();
    var canonical = code(form.elements.code.value);
    if (!id || !canonical) {
      var error = document.getElementById("follow-error");
      error.textContent = words.invalid;
      show("follow-error", true);
      return;
    }
    show("follow-working", true);
    var button = form.querySelector("button");
    button.disabled = true;
    var derived;
    derive(id, canonical)
      .then(function (found) {
        derived = found;
        return fetch(config.data + found.name.slice(0, 2) + ".json", {credentials: "same-origin"});
      })
      .then(function (response) {
        if (!response.ok) throw new Error("no bucket");
        return response.json();
      })
      .then(function (bucket) {
        var content = Object.prototype.hasOwnProperty.call(bucket, derived.name)
          ? bucket[derived.name] : null;
        if (content === null) return null;
        return opened(content, derived.key).catch(function () { return null; });
      })
      .then(function (found) {
        if (found) answer(found); else show("follow-not-found", true);
      })
      .catch(function () {
        var error = document.getElementById("follow-error");
        error.textContent = words.failed;
        show("follow-error", true);
      })
      .then(function () {
        show("follow-working", false);
        button.disabled = false;
      });
  });
  // Shown only now that submitting it is handled here: a form that submitted itself
  // would put what was typed into the address of a request.
  form.hidden = false;
})();
