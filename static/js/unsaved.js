// Nothing typed is lost by accident: leaving a page with text typed into a form and not saved
// asks first (the browser's own "Leave site?" question). Saving the form, or a form marked
// data-unsaved-ignore (searches, filters), does not ask.
(function () {
  "use strict";
  var dirty = new Set();

  function typed(form) {
    var fields = form.querySelectorAll("textarea, input[type=text], input[type=number], input:not([type])");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }

  function watched(form) {
    return form && form.tagName === "FORM" &&
      (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-unsaved-ignore");
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!watched(form)) return;
    if (typed(form)) dirty.add(form); else dirty.delete(form);
  });

  // A form being sent is no longer unsaved, whichever button sent it (an attachment upload
  // saves the text with it).
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) dirty.delete(event.target);
  });

  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (form) { if (!form.isConnected) dirty.delete(form); });
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
