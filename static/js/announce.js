// After an htmx swap, say what changed and keep the keyboard's place (WCAG 4.1.3, 2.4.3).
// A region htmx replaces is a new element, and screen readers do not read live regions that
// arrive with it; so one polite live region (#announcer, in base.html) outlives every swap and
// this script writes into it. What it says: the text of the first [data-announce] element in the
// new content (its attribute's value when it has one), else the new content's first heading.
// Polling swaps that bring the same words again stay silent.
(function () {
  "use strict";
  var last = "";
  var pending = null; // what the swap is about to replace, and where the keyboard was

  function announcer() {
    return document.getElementById("announcer");
  }

  function announce(text) {
    var region = announcer();
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!region || !text || text === last) return;
    last = text;
    // Emptied first, then filled a moment later, so the same region is read again.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function announcement(root) {
    var marked = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    if (marked) return marked.getAttribute("data-announce") || marked.textContent;
    var heading = root.querySelector("h1, h2, h3, h4, .alert-title");
    return heading ? heading.textContent : "";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    pending = {
      id: target && target.id,
      hadFocus: !!(target && active && active !== document.body && target.contains(active)),
      focusedId: active && active.id,
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var seen = pending || {};
    pending = null;
    var root = (seen.id && document.getElementById(seen.id)) || event.detail.target;
    if (!root || !root.isConnected) return;
    announce(announcement(root));
    // The focused element went with the old content: put the keyboard back where it was (the
    // same control in the new content), or at the start of the new content.
    var active = document.activeElement;
    if (seen.hadFocus && (!active || active === document.body || !active.isConnected)) {
      var again = seen.focusedId && document.getElementById(seen.focusedId);
      if (!again || !root.contains(again)) {
        again = root;
        if (!again.hasAttribute("tabindex")) again.setAttribute("tabindex", "-1");
      }
      again.focus();
    }
  });
})();
