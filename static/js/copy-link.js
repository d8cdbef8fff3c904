/* The private page's "Copy link" button. No inline script (CSP); works in WeChat's browser, where
   the Clipboard API is often missing: then the read-only input is selected and copied with
   execCommand, and if even that is refused the person is told to press and hold the selected link. */
(function () {
  "use strict";
  function selectAll(input) {
    input.focus();
    input.select();
    try { input.setSelectionRange(0, input.value.length); } catch (error) { /* some inputs refuse it */ }
  }
  function copyBySelection(input) {
    selectAll(input);
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }
  document.querySelectorAll("input[data-select-all]").forEach(function (input) {
    input.addEventListener("focus", function () { selectAll(input); });
    input.addEventListener("click", function () { selectAll(input); });
  });
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-from"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input || !status) { return; }
    button.hidden = false;
    function say(attribute) { status.textContent = button.getAttribute(attribute); }
    button.addEventListener("click", function () {
      if (copyBySelection(input)) { say("data-copied"); return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { say("data-copied"); }, function () {
          selectAll(input); say("data-copy-failed");
        });
        return;
      }
      selectAll(input);
      say("data-copy-failed");
    });
  });
}());
