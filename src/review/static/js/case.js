// Case view: "Reveal messages" fetches the hidden (children's) messages; the server records who revealed them.
/* global document, fetch */
(function () {
  "use strict";
  var button = document.getElementById("reveal");
  if (!button) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");

  function mark(el, text, evidence) {
    // Build with text nodes only: message text never becomes markup.
    var lower = text.toLowerCase();
    var spans = [];
    evidence.forEach(function (e) {
      var needle = (e || "").trim().toLowerCase();
      if (needle.length < 2) return;
      var at = lower.indexOf(needle);
      if (at >= 0) spans.push([at, at + needle.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    el.textContent = "";
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) return;
      el.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(s[0], s[1]);
      el.appendChild(m);
      pos = s[1];
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch("/api/cases/" + button.getAttribute("data-case") + "/reveal", {
      method: "POST",
      headers: { "x-csrf-token": csrf, "content-type": "application/json" },
      body: "{}",
      credentials: "same-origin",
    })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) throw new Error(body.error || "reveal failed");
          return body;
        });
      })
      .then(function (body) {
        body.messages.forEach(function (m) {
          var el = document.querySelector('[data-message="' + m.id + '"]');
          if (!el) return;
          mark(el, m.text, m.evidence);
          el.classList.remove("concealed");
          el.classList.add("revealed");
        });
        button.textContent = "Messages revealed";
      })
      .catch(function (err) {
        button.disabled = false;
        button.textContent = "Reveal failed: " + err.message;
      });
  });
})();
