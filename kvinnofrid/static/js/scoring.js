// The jury's scoring pages: progress bars at their exact width, and the scoring form saved
// while the juror works. Both pages work without this script; it only makes them kinder.
(function () {
  "use strict";

  // Inline styles are forbidden by the Content Security Policy; a script may set them.
  document.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    var percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
    bar.style.width = percent + "%";
  });

  var form = document.getElementById("scoring-form");
  var url = form && form.dataset.autosaveUrl;
  if (!url) {
    return;
  }
  var texts = document.getElementById("scoring-form-texts").dataset;
  var status = document.getElementById("autosave-status");
  var timer = null;

  var show = function (message, failed) {
    status.textContent = message;
    status.classList.toggle("text-danger", failed);
  };

  var save = function () {
    var data = new FormData(form);
    data.delete("save");
    data.delete("save_and_list");
    show(texts.saving, false);
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
        var errors = Object.values(result.errors || {}).flat();
        show([result.message].concat(errors).join(" "), !result.saved);
        // The next save says which version it was drawn from: this one.
        if (result.saved && result.version !== undefined && form.elements.version) {
          form.elements.version.value = result.version;
        }
      })
      .catch(function () {
        show(texts.offline, true);
      });
  };

  var later = function (delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  };
  // A choice is saved at once; typed text two seconds after the last keystroke.
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      later(300);
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      later(2000);
    }
  });
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
  });
})();
