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

  // Counters: "123 / 4000 tecken" under every text area with a maximum length. They are not
  // live regions (a screen reader would read one on every keystroke); the field describes
  // itself with its counter, and a quiet announcement comes only near the limit and at it.
  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  form.insertAdjacentElement("afterend", announcer);
  form.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var counter = document.createElement("div");
    counter.className = "form-text text-end char-counter";
    counter.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var max = Number(area.getAttribute("maxlength"));
    var band = 0;
    var update = function () {
      counter.textContent = texts.counter
        .replace("%(count)s", area.value.length)
        .replace("%(max)s", max);
      var now = area.value.length >= max ? 2 : area.value.length >= 0.9 * max ? 1 : 0;
      if (now > band) {
        announcer.textContent = counter.textContent;
      }
      band = now;
    };
    area.addEventListener("input", update);
    update();
  });

  // When the session ends, what is typed stays in the page (and a copy in this browser's
  // storage, for a reload); it is saved as soon as the nominator signs in again elsewhere.
  var backupKey = "kvf-nomination-" + (form.dataset.autosaveUrl || "");
  var sessionLost = false;
  var backUp = function () {
    var copy = {};
    form.querySelectorAll("input[type=text], input[type=email], input[type=tel], textarea")
      .forEach(function (field) {
        copy[field.name] = field.value;
      });
    try {
      window.localStorage.setItem(backupKey, JSON.stringify(copy));
    } catch (error) {
      // No storage: the page itself still holds the text.
    }
  };
  var forgetBackup = function () {
    try {
      window.localStorage.removeItem(backupKey);
    } catch (error) {
      // Nothing was stored.
    }
  };
  var loseSession = function () {
    sessionLost = true;
    backUp();
    status.textContent = texts.signedOut;
    status.classList.add("text-danger");
    if (window.kvfSession) {
      window.kvfSession.ended();
    }
  };
  document.addEventListener("kvf:session-ended", function () {
    if (!sessionLost) {
      loseSession();
    }
  });
  document.addEventListener("kvf:session-restored", function () {
    sessionLost = false;
    save();
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
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (response.redirected || !json) {
          // Sent to the sign-in page, or refused for a stale CSRF token: is the session gone?
          return window.kvfSession
            ? window.kvfSession.check().then(function (session) {
                if (!session.authenticated) {
                  loseSession();
                  return null;
                }
                throw new Error("not saved");
              })
            : Promise.reject(new Error("not saved"));
        }
        return response.json();
      })
      .then(function (result) {
        if (!result) {
          return;
        }
        if (result.saved) {
          forgetBackup();
        }
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
      if (sessionLost) {
        backUp();
        return;
      }
      timer = window.setTimeout(save, 2000);
    });
  }

  // Text kept in this browser from a page whose session ended (and was then left or
  // reloaded): put it back and save it.
  var kept = null;
  try {
    kept = JSON.parse(window.localStorage.getItem(backupKey) || "null");
  } catch (error) {
    kept = null;
  }
  if (kept && url) {
    var restored = false;
    Object.keys(kept).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.value !== undefined && field.value !== kept[name]) {
        field.value = kept[name];
        field.dispatchEvent(new Event("input", { bubbles: true }));
        restored = true;
      }
    });
    if (restored) {
      status.textContent = texts.restored;
      window.clearTimeout(timer);
      save();
    } else {
      forgetBackup();
    }
  }

  // One click, one submission: keep the pressed button's value, then disable the buttons.
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (sessionLost) {
      // Sending now would lead to the sign-in page and lose the text: sign in first.
      event.preventDefault();
      status.textContent = texts.signedOut;
      var signIn = document.querySelector("#session-warning .session-sign-in");
      if (signIn) {
        signIn.focus();
      }
      return;
    }
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
