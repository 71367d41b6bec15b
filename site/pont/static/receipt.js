/* The report receipt: this tab keeps the code and secret for 30 minutes so that a reload does
   not lose them, and copy buttons. They stay in this tab (sessionStorage): never sent to the
   server again, never in an address or a cookie. The page works without this file. */
(function () {
  "use strict";
  var KEY = "pont-receipt";
  var KEEP_MS = 30 * 60 * 1000;
  var page = document.querySelector("[data-receipt-page]");
  if (!page) return;

  function forget() {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* storage off: nothing kept */ }
  }

  function kept() {
    try {
      var receipt = JSON.parse(sessionStorage.getItem(KEY) || "null");
      if (receipt && typeof receipt.until === "number" && receipt.until > Date.now()) return receipt;
    } catch (e) { /* unreadable: treated as gone */ }
    forget();
    return null;
  }

  function keep(receipt) {
    try { sessionStorage.setItem(KEY, JSON.stringify(receipt)); return true; } catch (e) { return false; }
  }

  function field(name) {
    var element = page.querySelector('[data-receipt-field="' + name + '"]');
    return element && (element.querySelector("code") || element);
  }

  function showKept() {
    var note = page.querySelector("[data-receipt-kept]");
    if (note) note.hidden = false;
  }

  var receipt = null;
  var found = page.querySelector("[data-receipt-found]");
  var missing = page.querySelector("[data-receipt-missing]");

  if (page.dataset.receiptPage === "fresh") {
    receipt = {
      code: field("code").textContent, secret: field("secret").textContent,
      school: page.dataset.school, urgent: page.dataset.urgent === "1",
      until: Date.now() + KEEP_MS
    };
    if (keep(receipt)) {
      showKept();
      // A reload now opens the receipt page instead of sending the form again, and the
      // language switch leads there too.
      var urls = JSON.parse(page.dataset.receiptUrls);
      history.replaceState(null, "", urls[document.documentElement.lang]);
      document.querySelectorAll("a.lang-switch[hreflang]").forEach(function (link) {
        if (urls[link.hreflang]) link.href = urls[link.hreflang];
      });
    }
  } else if (found) {
    receipt = kept();
    var expected = found.dataset.receiptCode;
    if (receipt && (!expected || expected === receipt.code)) {
      ["code", "secret", "school"].forEach(function (name) {
        var element = field(name);
        if (element) element.textContent = receipt[name] || "";
      });
      var urgent = page.querySelector("[data-receipt-urgent]");
      if (urgent) urgent.hidden = !receipt.urgent;
      found.hidden = false;
      if (missing) missing.hidden = true;
      showKept();
    } else {
      receipt = null;
    }
  }

  // Gone at the end of its 30 minutes, even from a page left open.
  if (receipt) {
    window.setTimeout(function () {
      forget();
      if (page.dataset.receiptPage !== "fresh" && found) {
        found.hidden = true;
        if (missing) missing.hidden = false;
      }
    }, Math.max(0, receipt.until - Date.now()));
  }

  // Copy buttons, where the browser lets a page write to the clipboard.
  if (!navigator.clipboard || !window.isSecureContext) return;
  page.querySelectorAll("[data-clipboard-for]").forEach(function (box) {
    var source = document.getElementById(box.dataset.clipboardFor);
    var done = box.querySelector(".copy-done");
    box.hidden = false;
    box.querySelector("button").addEventListener("click", function () {
      page.querySelectorAll(".copy-done").forEach(function (other) { other.textContent = ""; });
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        done.textContent = box.dataset.clipboardDone;
        done.classList.remove("copy-failed");
      }, function () {
        done.textContent = box.dataset.clipboardFailed;
        done.classList.add("copy-failed");
      });
    });
  });
})();
