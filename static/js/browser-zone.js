// The registration form's hidden time zone: the browser's IANA zone (e.g. Europe/Paris), so
// reminders can also say when the event starts where the registrant is. Without it, nothing.
(function () {
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
  document.querySelectorAll("input[type=hidden][name=timezone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
