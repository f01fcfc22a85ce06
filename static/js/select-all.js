// Progressive enhancement on the registrants page and the guest list: a box in the header
// ticks every row on this page (the rows are the bulk form's inputs named by its data-rows).
// A file, not an inline script, so the Content-Security-Policy allows it.
(function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  var rows = document.querySelectorAll('input[name="' + all.dataset.rows + '"][form="bulk"]');
  all.hidden = false;
  all.addEventListener("change", function () {
    rows.forEach(function (row) { row.checked = all.checked; });
  });
})();
