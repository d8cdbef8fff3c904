/* Progressive enhancement for forms returned with errors (the page works without it):
   focus moves to the first field with an error, and the links in the error summary
   at the top focus their field instead of only scrolling to it. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }

  function focusField(field) {
    field.focus();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "center" });
  }

  var first = document.querySelector("[aria-invalid='true']");
  if (first) {
    focusField(first);
  } else {
    summary.focus();
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      focusField(field);
    }
  });
})();
