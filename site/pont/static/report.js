/* Report pages: small helps on top of forms that work without this file. */
(function () {
  "use strict";

  // After a failed send, start where the problems are listed.
  var summary = document.querySelector("[data-focus-first]");
  if (summary) summary.focus();

  // "Someone is in danger right now": make the numbers impossible to miss at once.
  var dangerBox = document.querySelector("[data-danger-box] .report-danger");
  document.querySelectorAll('input[name="danger"]').forEach(function (input) {
    input.addEventListener("change", function () {
      if (dangerBox) dangerBox.classList.toggle("urgent", input.checked && input.value !== "no");
    });
  });

  // Show a follow-up question only when it applies (everything stays visible without JS).
  function bind(selector, attribute, showWhenChecked) {
    document.querySelectorAll(selector).forEach(function (block) {
      var rule = block.getAttribute(attribute).split("=");
      var inputs = document.querySelectorAll('input[name="' + rule[0] + '"]');
      function update() {
        var match = false;
        inputs.forEach(function (input) { if (input.checked && input.value === rule[1]) match = true; });
        var field = block.querySelector("input, textarea");
        // Never hide something already typed.
        block.hidden = showWhenChecked ? !match && !(field && field.value) : match;
      }
      inputs.forEach(function (input) { input.addEventListener("change", update); });
      update();
    });
  }
  bind("[data-shows-when]", "data-shows-when", true);
  bind("[data-hides-when]", "data-hides-when", false);

  // Too many or too large pictures: say so before uploading, not after.
  document.querySelectorAll("[data-report-send]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "edit") return;
      var input = form.querySelector('input[type="file"]');
      var output = form.querySelector("[data-file-problem]");
      if (!input || !input.files) return;
      var maxFiles = parseInt(input.dataset.maxFiles, 10);
      var maxBytes = parseInt(input.dataset.maxBytes, 10);
      var problem = "";
      if (input.files.length > maxFiles) {
        problem = input.dataset.tooMany.replace("{max}", maxFiles);
      } else {
        for (var i = 0; i < input.files.length; i++) {
          if (input.files[i].size > maxBytes) {
            problem = input.dataset.tooBig.replace("{name}", input.files[i].name)
              .replace("{max}", Math.round(maxBytes / 1048576));
            break;
          }
        }
      }
      if (output) output.textContent = problem;
      if (problem) {
        event.preventDefault();
        input.focus();
      }
    });
  });
})();
