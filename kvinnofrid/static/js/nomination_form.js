// The nomination form: character counters, the draft kept through a lost session while it
// saves itself (autosave.js), and one submission per click. The form works without this
// script; it only makes it kinder.
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

  // Autosave (autosave.js and htmx): two seconds after the last keystroke, or at once when
  // this script asks (kvf:save).
  var url = form.getAttribute("hx-post");
  var save = function () {
    window.htmx.trigger(form, "kvf:save");
  };

  // When the session ends, what is typed stays in the page (and a copy in this browser's
  // storage, for a reload); it is saved as soon as the nominator signs in again elsewhere.
  var backupKey = "kvf-nomination-" + (url || "");
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

  if (url) {
    // Choosing a file is no reason to save (files go with the button); without a session a
    // save would fail, so the text is kept in this browser instead.
    form.addEventListener("htmx:confirm", function (event) {
      var trigger = event.detail.triggeringEvent;
      if (sessionLost || (trigger && trigger.target.type === "file")) {
        event.preventDefault();
        if (sessionLost) {
          backUp();
        }
      }
    });
    form.addEventListener("kvf:autosaved", function (event) {
      if (event.detail.saved) {
        forgetBackup();
      }
    });
    // Sent to the sign-in page, or refused for a stale CSRF token: is the session gone?
    form.addEventListener("kvf:autosave-refused", function () {
      var notSaved = function () {
        status.textContent = texts.offline;
        status.classList.add("text-danger");
      };
      if (!window.kvfSession) {
        notSaved();
        return;
      }
      window.kvfSession.check().then(function (session) {
        if (session.authenticated) {
          notSaved();
        } else {
          loseSession();
        }
      }, notSaved);
    });
  }

  // Text kept in this browser from a page whose session ended (and was then left or
  // reloaded): put it back and save it, once htmx has read the form.
  var restore = function () {
    var kept = null;
    try {
      kept = JSON.parse(window.localStorage.getItem(backupKey) || "null");
    } catch (error) {
      kept = null;
    }
    if (!kept || !url) {
      return;
    }
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
      save();
    } else {
      forgetBackup();
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }

  // One click, one submission: keep the pressed button's value, then disable the buttons.
  form.addEventListener("submit", function (event) {
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
