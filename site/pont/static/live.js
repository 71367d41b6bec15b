/* Live class sessions: keep the page current by polling a small JSON endpoint.
   Without this script every page still works: forms post to the server, and a link refreshes.
   A change of step (new question, answer shown) replaces the page's live region and moves
   focus to its heading; other changes (answers arriving) replace only the parts that show
   them, without moving focus. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || root.hasAttribute("data-finished") || !window.fetch || !window.DOMParser) return;
  var stateUrl = root.dataset.stateUrl;
  var etag = root.dataset.etag;
  var status = root.querySelector("[data-live-status]");
  var EVERY = 2000, WHEN_HIDDEN = 10000, LONGEST = 30000;
  var failures = 0, timer = null, stopped = false;

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    var wait = document.hidden ? WHEN_HIDDEN : EVERY;
    if (failures) wait = Math.min(LONGEST, EVERY * Math.pow(2, failures));
    timer = setTimeout(poll, wait);
  }

  function poll() {
    clearTimeout(timer);
    fetch(stateUrl, {
      headers: { "If-None-Match": '"' + etag + '"', "Accept": "application/json" },
      cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 304) return null;
      if (response.status === 403 || response.status === 404 || response.status === 410) {
        // Removed, expired or gone: the page itself says so.
        stopped = true;
        window.location.reload();
        return null;
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json().then(function (data) {
        if (data.etag !== etag) return update();
      });
    }).then(function () { failures = 0; }, function () { failures += 1; }).then(schedule);
  }

  function update() {
    return fetch(window.location.href, {
      headers: { "Accept": "text/html" }, cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("[data-live]");
      if (!fresh) { stopped = true; window.location.reload(); return; }
      if (fresh.dataset.step === root.dataset.step) {
        root.querySelectorAll("[data-live-part]").forEach(function (part) {
          var next = fresh.querySelector('[data-live-part="' + part.dataset.livePart + '"]');
          if (next && next.innerHTML !== part.innerHTML) swap(part, next);
        });
      } else {
        replaceRegion(fresh);
        document.title = doc.title;
      }
      root.dataset.step = fresh.dataset.step;
      etag = root.dataset.etag = fresh.dataset.etag;
      if (fresh.hasAttribute("data-finished")) stopped = true;
    });
  }

  function swap(part, next) {
    var focused = document.activeElement;
    var focusedId = part.contains(focused) ? focused.id : null;
    part.innerHTML = next.innerHTML;
    if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
  }

  function replaceRegion(fresh) {
    var region = root.querySelector("[data-live-region]");
    var focused = document.activeElement;
    var hadFocus = !focused || focused === document.body || region.contains(focused);
    region.innerHTML = fresh.querySelector("[data-live-region]").innerHTML;
    var heading = region.querySelector("[data-live-heading]");
    if (!heading) return;
    if (hadFocus) {
      heading.focus();
    } else if (status) {
      // Focus is elsewhere (a link in the header): say what changed without moving it.
      status.textContent = "";
      setTimeout(function () { status.textContent = heading.textContent; }, 100);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) poll();
  });
  window.addEventListener("online", function () {
    failures = 0;
    if (!stopped) poll();
  });
  schedule();
})();
