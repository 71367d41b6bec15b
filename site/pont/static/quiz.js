/* Instant feedback on a quiz: the form still posts to the server for the result page. */
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz]");
  if (!form) return;
  // The words come from the page, in its language (data-right, data-wrong, …).
  var words = form.dataset;

  function show(fieldset) {
    var inputs = fieldset.querySelectorAll("input");
    var box = fieldset.querySelector("[data-feedback-for]");
    var picked = [], right = true;
    inputs.forEach(function (input) {
      var correct = input.dataset.correct === "1";
      if (input.checked) picked.push(input);
      if (input.checked !== correct && (input.type === "checkbox" || input.checked)) right = false;
    });
    if (!picked.length) { box.textContent = ""; return; }
    box.textContent = "";
    var verdict = document.createElement("p");
    verdict.className = "verdict " + (right ? "is-right" : "is-not-yet");
    verdict.textContent = (right ? "✓ " : "✗ ") + (right ? words.right : words.wrong);
    box.appendChild(verdict);
    picked.forEach(function (input) {
      var p = document.createElement("p");
      p.className = "feedback " + (input.dataset.correct === "1" ? "right" : "wrong");
      p.textContent = input.dataset.feedback;
      box.appendChild(p);
    });
    if (fieldset.dataset.remember) {
      var r = document.createElement("p");
      r.className = "remember-line";
      r.textContent = words.rememberLabel + " " + fieldset.dataset.remember;
      box.appendChild(r);
    }
  }

  form.querySelectorAll("[data-question]").forEach(function (fieldset) {
    if ("many" in fieldset.dataset) {
      // Several answers: feedback on request, not after the first tick.
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = words.check;
      button.addEventListener("click", function () { show(fieldset); });
      fieldset.insertBefore(button, fieldset.querySelector("[data-feedback-for]"));
    } else {
      fieldset.addEventListener("change", function () { show(fieldset); });
    }
  });
})();
