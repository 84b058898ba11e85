// The announcement editor's live preview: the server renders the Markdown with the same
// sanitiser as the public page, so the preview is exactly what will be published.
(function () {
  "use strict";
  const form = document.getElementById("announcement-form");
  if (!form) return;
  const url = form.dataset.previewUrl;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  form.querySelectorAll("textarea[data-preview]").forEach(function (field) {
    const target = document.getElementById(field.dataset.preview);
    if (!target) return;
    let timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const body = new URLSearchParams({ text: field.value });
        fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf },
        })
          .then(function (response) {
            return response.ok ? response.text() : Promise.reject(response.status);
          })
          .then(function (html) {
            target.innerHTML = html; // sanitised on the server (publication/markup.py)
          })
          .catch(function () {});
      }, 300);
    });
  });
})();
