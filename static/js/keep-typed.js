/* Switching language keeps what was typed. The language switcher is a plain POST to set_language
   that reloads the page; just before it goes, the unsent fields of forms marked data-keep-typed are
   put in this tab's sessionStorage (never sent anywhere, so no cache can hold them), and put back
   after the reload, then removed. Hidden fields, the CSRF token, the trap field and checkboxes
   (consent is given to the words shown, in the new language) are not carried. */
(function () {
  "use strict";
  var KEY = "keep-typed:" + window.location.pathname;
  var forms = document.querySelectorAll("form[data-keep-typed]");
  var storage;
  try { storage = window.sessionStorage; storage.getItem(KEY); } catch (error) { return; }
  if (!forms.length) { return; }

  function carried(field) {
    var type = (field.type || "").toLowerCase();
    return field.name && !field.disabled && field.name !== "csrfmiddlewaretoken" && field.name !== "website" &&
      ["hidden", "submit", "button", "checkbox", "password", "file"].indexOf(type) === -1;
  }

  function save() {
    var values = {};
    forms.forEach(function (form, index) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!carried(field)) { return; }
        if (field.type === "radio") {
          if (field.checked) { values[index + ":" + field.name] = field.value; }
        } else if (field.value) {
          values[index + ":" + field.name] = field.value;
        }
      });
    });
    try { storage.setItem(KEY, JSON.stringify(values)); } catch (error) { /* storage full or refused */ }
  }

  function restore() {
    var text = storage.getItem(KEY);
    storage.removeItem(KEY);
    if (!text) { return; }
    var values;
    try { values = JSON.parse(text); } catch (error) { return; }
    forms.forEach(function (form, index) {
      Array.prototype.forEach.call(form.elements, function (field) {
        var value = values[index + ":" + field.name];
        if (!carried(field) || typeof value !== "string") { return; }
        if (field.type === "radio") {
          field.checked = field.value === value;
        } else if (!field.value) {
          field.value = value;
        }
      });
    });
  }

  restore();
  document.querySelectorAll(".language-switcher form").forEach(function (switcher) {
    switcher.addEventListener("submit", save);
  });
}());
