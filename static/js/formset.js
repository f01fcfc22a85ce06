// "Add another" under a formset of the event form: clone Django's empty form in place, number
// it, and count it in TOTAL_FORMS, so rows are added without saving or reloading. Without
// this file the same button posts the form, which comes back with one more row.
(function () {
  "use strict";

  document.querySelectorAll("[data-formset]").forEach(function (section) {
    const prefix = section.dataset.formset;
    const template = section.querySelector("template[data-formset-template]");
    const rows = section.querySelector("[data-formset-rows]");
    const add = section.querySelector("[data-formset-add]");
    const total = section.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    const max = section.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    if (!template || !rows || !add || !total) return;

    add.addEventListener("click", function (event) {
      event.preventDefault();
      const index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      const row = rows.lastElementChild;
      const first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
