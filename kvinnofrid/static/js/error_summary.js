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
    var field = link && document.getElementById(link.dataset.field);
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
