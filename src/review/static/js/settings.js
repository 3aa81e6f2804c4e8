// Settings: as the threshold changes, ask the server what it would have done and update the figures.
/* global document, fetch, URLSearchParams, setTimeout, clearTimeout */
(function () {
  "use strict";
  var form = document.getElementById("settings-form");
  var input = document.getElementById("threshold");
  var figures = document.getElementById("whatif-figures");
  if (!form || !input || !figures) return;
  var community = form.getAttribute("data-community");
  var label = document.getElementById("whatif-threshold");
  var marker = document.getElementById("threshold-marker");
  var timer = null;
  var pct = function (v) { return v === null ? "—" : Math.round(v * 100) + "%"; };

  function update() {
    var t = Number(input.value);
    if (!(t >= 0 && t <= 1)) return;
    figures.classList.add("loading");
    fetch("/api/communities/" + community + "/whatif?" + new URLSearchParams({ threshold: String(t) }), { credentials: "same-origin" })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        figures.classList.remove("loading");
        if (body.error) return;
        figures.querySelectorAll("[data-k]").forEach(function (dd) {
          var k = dd.getAttribute("data-k");
          dd.textContent = k === "precision" || k === "recall" ? pct(body[k]) : String(body[k]);
        });
        if (label) label.textContent = "at " + t.toFixed(2);
        if (marker) {
          var x0 = Number(marker.getAttribute("data-x0"));
          var x1 = Number(marker.getAttribute("data-x1"));
          var x = (x0 + t * (x1 - x0)).toFixed(1);
          marker.setAttribute("x1", x);
          marker.setAttribute("x2", x);
        }
      })
      .catch(function () { figures.classList.remove("loading"); });
  }

  input.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
})();
