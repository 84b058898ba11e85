// A form saved while it is filled in: htmx sends it (the form's hx-* attributes, set by
// kvinnofrid.autosave.autosave_attrs, say where, when and without what), the endpoint answers
// JSON, and this script shows the answer in the page's status line (#autosave-status) in
// the words of the form's texts (#<form id>-texts: data-saving, data-offline). The page's
// own script hears of each answer ("kvf:autosaved", the answer as detail) and of an answer
// that is not JSON ("kvf:autosave-refused": the sign-in page, or a stale CSRF token).
(function () {
  "use strict";

  var status = document.getElementById("autosave-status");
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var texts = document.getElementById(form.id + "-texts").dataset;
    var show = function (message, failed) {
      status.textContent = message;
      status.classList.toggle("text-danger", failed);
    };

    // Once the form is sent, a save still waiting for its delay is not sent after it.
    var sent = false;
    document.addEventListener("submit", function (event) {
      if (event.target === form && !event.defaultPrevented) {
        sent = true;
      }
    });
    form.addEventListener("htmx:confirm", function (event) {
      if (sent) {
        event.preventDefault();
      }
    });
    form.addEventListener("htmx:beforeRequest", function () {
      show(texts.saving, false);
    });
    // A refusal (409, 422) is an answer to show, not an error of htmx's; nothing is swapped.
    form.addEventListener("htmx:beforeSwap", function (event) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      if (xhr.status === 0) {
        show(texts.offline, true);
        return;
      }
      if ((xhr.getResponseHeader("Content-Type") || "").indexOf("json") === -1) {
        form.dispatchEvent(new CustomEvent("kvf:autosave-refused"));
        return;
      }
      var result = JSON.parse(xhr.responseText);
      var errors = Object.values(result.errors || {}).flat();
      var words = [result.message].concat(errors, result.warning ? [result.warning] : []);
      show(words.join(" "), !result.saved || Boolean(result.warning));
      form.dispatchEvent(new CustomEvent("kvf:autosaved", { detail: result }));
    });
  });
})();
