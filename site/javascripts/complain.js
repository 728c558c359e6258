// The form on "How to complain": it writes an e-mail for the visitor's own mail program
// (a mailto: link to the complaints address). Readable text first, in the page's language,
// then the block `complaints new --from-message` reads (complaints_register.core.message):
// base64 of the fields as JSON, between the BEGIN and END lines. Nothing is sent from here.
(function () {
  "use strict";
  var form = document.getElementById("send-form");
  var settings = document.getElementById("send-config");
  if (!form || !settings) return;
  var config = JSON.parse(settings.textContent);
  var words = config.words;

  function value(name) { return form.elements[name].value.trim(); }

  function base64(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  function lines(text, width) {
    var out = [];
    for (var i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
    return out;
  }

  function message(fields) {
    var parts = [words.what, fields.what, ""];
    if (fields.outcome) parts.push(words.outcome, fields.outcome, "");
    parts.push(words.category + ": " +
               (fields.category ? config.categories[fields.category] : words.unsure));
    parts.push(words.language + ": " + config.languages[fields.language], "");
    var reach = ["name", "email", "phone", "address"].filter(function (k) { return fields[k]; });
    if (reach.length) {
      parts.push(words.reach);
      reach.forEach(function (k) { parts.push(words[k] + ": " + fields[k]); });
      parts.push("");
    }
    var data = {form: config.version};
    ["page", "language", "category", "what", "outcome", "name", "email", "phone", "address"]
      .forEach(function (k) { data[k] = fields[k]; });
    parts.push(words.block, config.begin);
    parts = parts.concat(lines(base64(JSON.stringify(data)), 64));
    parts.push(config.end, "");
    return parts.join("\r\n");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("send-error");
    var fields = {page: config.page};
    ["what", "outcome", "category", "language", "name", "email", "phone", "address"]
      .forEach(function (k) { fields[k] = value(k); });
    if (!fields.what) {
      error.textContent = words.missing;
      error.hidden = false;
      form.elements.what.focus();
      return;
    }
    error.hidden = true;
    var body = message(fields);
    var link = document.getElementById("send-link");
    link.href = "mailto:" + encodeURIComponent(config.to).replace(/%40/g, "@") +
      "?subject=" + encodeURIComponent(words.subject) + "&body=" + encodeURIComponent(body);
    document.getElementById("send-text").value = body;
    var ready = document.getElementById("send-ready");
    ready.hidden = false;  // announced: aria-live
  });
  // Shown only now that submitting it is handled here: a form that submitted itself
  // would put what was typed into the address of a request.
  form.hidden = false;
})();
