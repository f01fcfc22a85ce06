// Times are shown in the event's zone; where the reader's browser is elsewhere, add theirs.
(function () {
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll(".reader-time[data-starts]").forEach(function (element) {
    if (!readerZone || readerZone === element.dataset.zone) return;
    var language = document.documentElement.lang || undefined;
    var day = new Intl.DateTimeFormat(language, { weekday: "short", day: "numeric", month: "short" });
    var time = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var starts = new Date(element.dataset.starts);
    var ends = new Date(element.dataset.ends);
    element.textContent = element.dataset.label + ": " + day.format(starts) + ", " +
      time.format(starts) + "–" + time.format(ends) + " (" + readerZone.replace(/_/g, " ") + ")";
    element.hidden = false;
  });
})();
