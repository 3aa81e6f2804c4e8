// Playground: choosing a JSONL file replaces the pasted text, so it is clear which one is scored.
/* global document */
(function () {
  "use strict";
  var file = document.getElementById("pg-file");
  var text = document.getElementById("pg-text");
  if (!file || !text) return;
  file.addEventListener("change", function () {
    if (file.files && file.files.length) {
      text.value = "";
      text.placeholder = "Scoring the first conversation of " + file.files[0].name;
    }
  });
})();
