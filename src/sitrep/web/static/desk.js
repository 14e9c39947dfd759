// sitrep desk: a page that shows stored data asks the server every few seconds whether it changed
// (data-poll: a small JSON stamp; data-poll-key: the field to compare) and reloads when it did. While a
// source is open beside a story, it offers the reload instead of taking the reader's place away.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-poll");
  if (!url) return;
  var key = body.getAttribute("data-poll-key");
  var seen = body.getAttribute("data-poll-value");
  var every = Math.max(0.2, parseFloat(body.getAttribute("data-refresh")) || 5) * 1000;
  var live = document.getElementById("live");

  function say(text, action, label) {
    live.replaceChildren(document.createTextNode(text));
    if (action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", action);
      live.appendChild(b);
    }
    live.hidden = false;
  }

  function check() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 404) {
          say("This story is no longer in the store: its sources now belong to another story.",
              function () { location.href = "/"; }, "Back to the stories");
          return null;
        }
        return r.ok ? r.json() : null;
      })
      .then(function (stamp) {
        if (stamp && String(stamp[key] || "") !== seen) {
          if (body.classList.contains("viewing")) {
            say("This page has changed in the store.", function () { location.reload(); }, "Reload");
            seen = String(stamp[key] || "");
          } else {
            location.reload();
            return;
          }
        }
        setTimeout(check, every);
      })
      .catch(function () { setTimeout(check, every); });
  }
  setTimeout(check, every);
})();
