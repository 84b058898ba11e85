// The nomination form: character counters, saving the draft while typing, and one
// submission per click. The form works without this script; it only makes it kinder.
(function () {
  "use strict";

  var form = document.getElementById("nomination-form");
  if (!form) {
    return;
  }
  var texts = document.getElementById("nomination-form-texts").dataset;
  var status = document.getElementById("autosave-status");

  // Counters: "123 / 4000 tecken" under every text area with a maximum length.
  form.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var update = function () {
      counter.textContent = texts.counter
        .replace("%(count)s", area.value.length)
        .replace("%(max)s", area.getAttribute("maxlength"));
    };
    area.addEventListener("input", update);
    update();
  });

  // Autosave: a draft is saved two seconds after the last keystroke.
  var url = form.dataset.autosaveUrl;
  var timer = null;
  var save = function () {
    var data = new FormData(form);
    data.delete("new_attachments");
    data.delete("save");
    data.delete("submit");
    status.textContent = texts.saving;
    fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        status.textContent = result.message + (result.warning ? " " + result.warning : "");
        status.classList.toggle("text-danger", !result.saved || Boolean(result.warning));
      })
      .catch(function () {
        status.textContent = texts.offline;
        status.classList.add("text-danger");
      });
  };
  if (url) {
    form.addEventListener("input", function (event) {
      if (event.target.type === "file") {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 2000);
    });
  }

  // One click, one submission: keep the pressed button's value, then disable the buttons.
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "yes";
    if (event.submitter && event.submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = event.submitter.name;
      pressed.value = event.submitter.value;
      form.appendChild(pressed);
    }
    window.setTimeout(function () {
      form.querySelectorAll("[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
})();
