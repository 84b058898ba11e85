// The jury's scoring pages: progress bars at their exact width, and the version of the
// scores kept up to date while the form saves itself (autosave.js). Both pages work without
// this script; it only makes them kinder.
(function () {
  "use strict";

  // Inline styles are forbidden by the Content Security Policy; a script may set them.
  document.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
    var percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
    bar.style.width = percent + "%";
  });

  var form = document.getElementById("scoring-form");
  if (!form) {
    return;
  }
  // The next save says which version it was drawn from: the last one saved.
  form.addEventListener("kvf:autosaved", function (event) {
    var result = event.detail;
    if (result.saved && result.version !== undefined && form.elements.version) {
      form.elements.version.value = result.version;
    }
  });
})();
