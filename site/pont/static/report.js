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

  // The browser words its file button in its own language: replace it with a button and a
  // line that speak the page's language. Without this, the browser's own input stays.
  document.querySelectorAll('input[type="file"][data-choose]').forEach(function (input) {
    var button = document.createElement("button");
    var chosen = document.createElement("span");
    button.type = "button";
    button.id = input.id + "-choose";
    button.className = "button button-secondary file-choose";
    button.textContent = input.dataset.choose;
    chosen.id = input.id + "-chosen";
    chosen.className = "file-chosen";
    chosen.setAttribute("aria-live", "polite");
    button.setAttribute("aria-describedby",
      ((input.getAttribute("aria-describedby") || "") + " " + chosen.id).trim());
    function update() {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      chosen.textContent = names.length === 0 ? input.dataset.none
        : (names.length === 1 ? input.dataset.chosenOne : input.dataset.chosenMany)
          .replace("{num}", names.length) + " " + names.join(", ");
    }
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", update);
    input.after(button, chosen);
    input.hidden = true;
    input.picker = button;
    var label = document.querySelector('label[for="' + input.id + '"][data-file-label]');
    if (label) label.hidden = true;
    update();
  });

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
        (input.picker || input).focus();
      }
    });
  });
})();
