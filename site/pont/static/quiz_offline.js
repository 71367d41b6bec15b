/* The exported copy (flask export): quizzes are scored here, in the browser, with no server.
   The form carries its sentences (data-*, in the page's language); quiz.js shows the
   explanations of each question, as on the site. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline]");
  if (!form) return;
  var result = document.createElement("p");
  result.className = "score";
  result.setAttribute("role", "status");
  result.tabIndex = -1;
  form.appendChild(result);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var questions = form.querySelectorAll("[data-question]");
    var missing = [], score = 0;
    questions.forEach(function (fieldset, index) {
      var picked = false, right = true;
      fieldset.querySelectorAll("input").forEach(function (input) {
        var correct = input.dataset.correct === "1";
        if (input.checked) picked = true;
        if (input.checked !== correct && (input.type === "checkbox" || input.checked)) right = false;
      });
      if (!picked) { missing.push(index + 1); return; }
      if (right) score += 1;
      var check = fieldset.querySelector("button[type=button]");
      if (check) check.click(); else fieldset.dispatchEvent(new Event("change"));
    });
    if (missing.length) {
      result.textContent = form.dataset.missing.replace("{num}", missing[0]);
    } else {
      result.textContent = form.dataset.score.replace("{score}", score)
        .replace("{total}", questions.length) + " " +
        (score === questions.length ? form.dataset.perfect : form.dataset.imperfect);
    }
    result.focus();
  });
})();
