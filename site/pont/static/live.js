/* Live class sessions: keep the page current by polling a small JSON endpoint.
   Without this script every page still works: forms post to the server, and a link refreshes.
   A change of step (new question, answer shown) replaces the page's live region and is read
   out by a polite status message; focus never moves on an automatic update. A pupil's page
   holds the quiz's steps in templates named for the poll's phase and position, and shows the
   next one with no request; other updates ask for the page's live part only (`?part=live`:
   no site header or footer to render and send). On the teacher's screen, the poll itself sends
   the parts that show the counts when only they changed.
   Forms are sent in the background too: a pupil's answer, and on the teacher's screen every
   step (a full page load would leave full screen); there keys R, N and F press the buttons
   that show them, and projector mode is switched here. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var status = root.querySelector("[data-live-status]");
  var host = root.hasAttribute("data-host");
  var canFetch = !!(window.fetch && window.DOMParser && window.FormData && window.URL);
  var stateUrl = root.dataset.stateUrl;
  var etag = root.dataset.etag;
  // A pupil's page sees a new step within 3 s (1.5 s on average); the teacher's screen polls
  // every 2 s, for its counts. A hidden page polls less, and failures back off.
  var EVERY = host ? 2000 : 3000, WHEN_HIDDEN = 10000, LONGEST = 30000;
  var failures = 0, timer = null, stopped = root.hasAttribute("data-finished");

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
        if (data.etag !== etag && !show(data) && !fill(data)) return update();
      });
    }).then(function () { failures = 0; }, function () { failures += 1; }).then(schedule);
  }

  /* Show the step the poll announces from the page's own templates: first the region's
     (the answer shown with this pupil's own), then the page's. False when there is none. */
  function show(data) {
    if (host || (data.phase !== "question" && data.phase !== "reveal")) return false;
    var name = '[data-view="' + data.phase + "-" + data.position + '"]';
    var region = root.querySelector("[data-live-region]");
    var view = region.querySelector("template" + name) ||
      root.querySelector("[data-live-views] > template" + name);
    if (!view) return false;
    var content = view.content.cloneNode(true);
    region.textContent = "";
    region.appendChild(content);
    // The page's title is "step · module · site": the step changes, the rest stays.
    var rest = document.title.indexOf(" · ");
    document.title = view.dataset.title + (rest === -1 ? "" : document.title.slice(rest));
    root.dataset.step = etag = root.dataset.etag = data.etag;
    window.scrollTo(0, 0);
    announce();
    return true;
  }

  /* The teacher's screen within a step: the poll sends the parts that show the counts. */
  function fill(data) {
    if (!host || !data.parts || data.step !== root.dataset.step) return false;
    var names = Object.keys(data.parts);
    var parts = names.map(function (name) {
      return root.querySelector('[data-live-part="' + name + '"]');
    });
    if (parts.indexOf(null) !== -1) return false;
    parts.forEach(function (part, n) {
      if (part.innerHTML !== data.parts[names[n]]) swap(part, data.parts[names[n]]);
    });
    keepView();
    etag = root.dataset.etag = data.etag;
    return true;
  }

  /* The same address, asking for the live part of the page only. */
  function partOf(address) {
    var url = new URL(address, window.location.href);
    url.searchParams.set("part", "live");
    return url.href;
  }

  function update() {
    return fetch(partOf(window.location.href), {
      headers: { "Accept": "text/html" }, cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      if (!apply(doc, false)) { stopped = true; window.location.reload(); }
    });
  }

  /* Bring a fresh copy of the page in: the parts that changed, or the whole region when the
     step changed or after the teacher's own action. False when it is not a live page. */
  function apply(doc, own) {
    var fresh = doc.querySelector("[data-live]");
    if (!fresh) return false;
    var newStep = fresh.dataset.step !== root.dataset.step;
    if (newStep || own) {
      replaceRegion(fresh, own);
      if (newStep) {
        // What was read further down is gone: the new step starts at the top of the screen.
        window.scrollTo(0, 0);
        document.title = doc.title;
        announce();
      }
    } else {
      root.querySelectorAll("[data-live-part]").forEach(function (part) {
        var next = fresh.querySelector('[data-live-part="' + part.dataset.livePart + '"]');
        if (next && next.innerHTML !== part.innerHTML) swap(part, next.innerHTML);
      });
    }
    root.dataset.step = fresh.dataset.step;
    etag = root.dataset.etag = fresh.dataset.etag;
    if (fresh.hasAttribute("data-finished")) stopped = true;
    return true;
  }

  function swap(part, html) {
    var focused = document.activeElement;
    var focusedId = part.contains(focused) ? focused.id : null;
    part.innerHTML = html;
    if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
  }

  function replaceRegion(fresh, own) {
    var region = root.querySelector("[data-live-region]");
    var focused = document.activeElement;
    var wasInside = focused !== region && region.contains(focused);
    region.innerHTML = fresh.querySelector("[data-live-region]").innerHTML;
    if (host) keepView();
    // After the teacher's own click, focus goes back to the same control, or to the next
    // step's button; a key pressed anywhere else leaves focus where it was.
    if (own && wasInside) {
      var target = (focused.id && document.getElementById(focused.id)) ||
        document.getElementById("host-step") || document.getElementById("main");
      if (target) target.focus();
    }
  }

  /* Say what changed, politely, without moving focus: the heading and the pupil's verdict. */
  function announce() {
    var heading = root.querySelector("[data-live-heading]");
    if (!status || !heading) return;
    var words = [heading.textContent.trim()];
    root.querySelectorAll("[data-live-announce]").forEach(function (line) {
      words.push(line.textContent.trim());
    });
    status.textContent = "";
    setTimeout(function () { status.textContent = words.join(". "); }, 100);
  }

  /* A form of the live part (an answer, a teacher's step), sent in the background. */
  function send(form, submitter) {
    if (form.dataset.sending) return;
    form.dataset.sending = "1";
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    fetch(partOf(form.getAttribute("action")), {
      method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "text/html" }
    }).then(function (response) {
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!response.ok || !apply(doc, true)) throw new Error("HTTP " + response.status);
        if (!host) announce();  // "Your answer is saved", said where the page stays put
        if (!stopped) schedule();
      });
    }).catch(function () {
      // Let the browser send it and show the server's answer (a message, or the new step).
      delete form.dataset.sending;
      form.dataset.plain = "1";
      if (form.requestSubmit && submitter) form.requestSubmit(submitter); else form.submit();
    }).then(function () { delete form.dataset.sending; });
  }

  // The teacher's screen ----------------------------------------------------------------

  var memory = "pont-projector:" + root.dataset.code;
  var ownFullscreen = false;

  function projecting() { return root.classList.contains("is-projector"); }

  /* Make the address, the forms and the toggle say which layout is on (reloads keep it). */
  function keepView() {
    var on = projecting();
    var here = on ? root.dataset.projectorUrl : root.dataset.plainUrl;
    root.querySelectorAll("form[method=post]").forEach(function (form) {
      form.setAttribute("action", here);
    });
    var refresh = root.querySelector(".refresh");
    if (refresh) refresh.setAttribute("href", here);
    var toggle = root.querySelector("[data-projector-toggle]");
    if (toggle) {
      toggle.setAttribute("href", on ? root.dataset.plainUrl : root.dataset.projectorUrl);
      toggle.querySelector("[data-projector-label]").textContent =
        on ? toggle.dataset.leave : toggle.dataset.enter;
    }
    if (window.history.replaceState) window.history.replaceState(null, "", here);
    try { window.sessionStorage.setItem(memory, on ? "1" : "0"); } catch (error) { /* private mode */ }
  }

  function setProjector(on, asked) {
    root.classList.toggle("is-projector", on);
    keepView();
    if (!asked) return;
    window.scrollTo(0, 0);
    // Full screen where the browser allows it; the layout works without it.
    var page = document.documentElement;
    if (on && page.requestFullscreen && document.fullscreenEnabled && !document.fullscreenElement) {
      page.requestFullscreen().then(function () { ownFullscreen = true; }, function () {});
    } else if (!on && document.fullscreenElement && document.exitFullscreen) {
      ownFullscreen = false;
      document.exitFullscreen().catch(function () {});
    }
  }

  function isTyping(target) {
    return !!(target && target.closest &&
      target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }

  if (host) {
    root.classList.add("has-shortcuts");
    var remembered = null;
    try { remembered = window.sessionStorage.getItem(memory); } catch (error) { /* private mode */ }
    setProjector(projecting() || remembered === "1", false);

    root.addEventListener("click", function (event) {
      var toggle = event.target.closest && event.target.closest("[data-projector-toggle]");
      if (!toggle) return;
      event.preventDefault();
      setProjector(!projecting(), true);
    });
    document.addEventListener("fullscreenchange", function () {
      // Escape leaves full screen: leave the projector layout with it.
      if (!document.fullscreenElement && ownFullscreen) {
        ownFullscreen = false;
        setProjector(false, false);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey ||
          event.isComposing || isTyping(event.target) || !/^[a-z]$/i.test(event.key)) return;
      var control = root.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]');
      if (!control) return;
      event.preventDefault();
      control.click();
    });
  }

  if (!canFetch) return;
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.plain) return;
    event.preventDefault();
    send(form, event.submitter);
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) poll();
  });
  window.addEventListener("online", function () {
    failures = 0;
    if (!stopped) poll();
  });
  schedule();
})();
