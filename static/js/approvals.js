// Filing forms: show only the fieldsets that apply to the chosen sub-kind.
// Without JavaScript every fieldset shows, each with its own title.
(function () {
  "use strict";

  function update(form) {
    var select = form.querySelector("select[name=subkind]");
    if (!select) return;
    var chosen = select.value;
    form.querySelectorAll("fieldset[data-show-for]").forEach(function (fieldset) {
      var applies = fieldset.dataset.showFor.split(" ").indexOf(chosen) !== -1;
      fieldset.classList.toggle("d-none", !applies);
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-filing-form]").forEach(update);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("form[data-filing-form] select[name=subkind]")) {
      update(event.target.closest("form"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.body.addEventListener("htmx:afterSwap", function () { init(document); });
  if (document.readyState !== "loading") init(document);
})();
