/* Pont: progressive enhancement only. Every page works without this file. */
(function () {
  "use strict";
  // Leaving also forgets the report receipt this tab may keep (receipt.js), so that Back
  // from the next site cannot show it.
  function leave(href) {
    try { sessionStorage.removeItem("pont-receipt"); } catch (e) { /* storage off */ }
    document.body.hidden = true;
    window.location.replace(href);
  }
  // Quick exit: leave at once and replace this page in the history, so Back does not return.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    leave(link.href);
  });
  // Escape pressed twice quickly also leaves; not on a teacher's live screen, where Escape
  // leaves full screen and a class's screen must not vanish in front of it.
  var lastEscape = 0;
  var hosting = !!document.querySelector("[data-live][data-host]");
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || hosting) return;
    var now = Date.now();
    if (now - lastEscape < 600) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) leave(link.href);
    }
    lastEscape = now;
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
