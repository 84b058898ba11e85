// The error summary (templates/includes/_error_summary.html) takes the focus when the page
// loads, so that a screen reader reads it at once; each of its links moves the focus to the
// field it names (a plain #fragment scrolls there but leaves the focus where it was).
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-field]");
    if (!link) {
      return;
    }
    // A group of radio buttons or tick boxes is named by its wrapper's id, or its first
    // box's ("id_kind_0"): focus the first control in it.
    var id = link.dataset.field;
    var field = document.getElementById(id) || document.querySelector('[id^="' + id + '_"]');
    if (field && !field.matches("input, select, textarea, button")) {
      field = field.querySelector("input, select, textarea, button");
    }
    if (!field) {
      return;
    }
    event.preventDefault();
    field.focus();
    // The field's label should be in view as well, not only the box.
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView({ block: "center" });
  });
})();
