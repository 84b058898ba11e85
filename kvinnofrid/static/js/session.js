// Warns before the session ends and offers to stay signed in (WCAG 2.2.1). Requests extend
// the session by steps, and the page is told the end as written (accounts/sessions.py);
// every tab of the site shares it through localStorage, so activity in one tab keeps the others calm.
// When the session has ended, the page waits for a sign-in in another tab, then hands the
// new CSRF token to its forms and tells them (event "kvf:session-restored").
(function () {
  "use strict";

  var body = document.body;
  var box = document.getElementById("session-warning");
  if (!body.dataset.sessionUrl || !box) {
    return;
  }
  var url = body.dataset.sessionUrl;
  var warnAt = Number(body.dataset.sessionWarningSeconds) * 1000;
  var key = "kvf-session-ends-at";
  var text = box.querySelector(".session-warning-text");
  var extend = box.querySelector(".session-extend");
  var signIn = box.querySelector(".session-sign-in");
  var state = "active"; // active, warned, ended
  var endsAt = 0;
  var poller = null;

  var store = function (value) {
    endsAt = value;
    try {
      window.localStorage.setItem(key, String(value));
    } catch (error) {
      // Private mode without storage: this tab still keeps its own time.
    }
  };
  store(Date.now() + Number(body.dataset.sessionSecondsLeft) * 1000);
  window.addEventListener("storage", function (event) {
    if (event.key === key && event.newValue) {
      endsAt = Number(event.newValue);
    }
  });

  var show = function (message, offerExtend) {
    text.textContent = message;
    extend.hidden = !offerExtend;
    signIn.hidden = offerExtend;
    box.hidden = false;
  };

  var check = function () {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (status.authenticated) {
          store(Date.now() + status.seconds_left * 1000);
          if (state === "ended") {
            document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
              input.value = status.csrf_token;
            });
            document.dispatchEvent(
              new CustomEvent("kvf:session-restored", { detail: { csrfToken: status.csrf_token } })
            );
          }
          if (state !== "active") {
            state = "active";
            window.clearInterval(poller);
            poller = null;
            show(box.dataset.textExtended, true);
            extend.hidden = true;
            window.setTimeout(function () {
              if (state === "active") {
                box.hidden = true;
              }
            }, 5000);
          }
        } else if (state !== "ended") {
          ended();
        }
        return status;
      });
  };

  var ended = function () {
    state = "ended";
    show(box.dataset.textEnded, false);
    document.dispatchEvent(new CustomEvent("kvf:session-ended"));
    if (!poller) {
      // Waiting for a sign-in in another tab.
      poller = window.setInterval(check, 3000);
    }
  };

  var tick = function () {
    if (state === "ended") {
      return;
    }
    var left = endsAt - Date.now();
    if (left <= 0) {
      // Another tab may have signed in again meanwhile: ask before saying it has ended.
      check();
    } else if (left <= warnAt && state === "active") {
      state = "warned";
      show(box.dataset.textWarning.replace("%(minutes)s", Math.ceil(left / 60000)), true);
    } else if (left > warnAt && state === "warned") {
      state = "active";
      box.hidden = true;
    }
  };
  window.setInterval(tick, 1000);
  window.addEventListener("focus", function () {
    if (state === "ended") {
      check();
    }
  });

  extend.addEventListener("click", function () {
    state = "extending";
    check();
  });

  // For other scripts: a request of theirs extended the session, or found it gone.
  window.kvfSession = {
    check: check,
    ended: function () {
      if (state !== "ended") {
        ended();
      }
    },
  };
})();
