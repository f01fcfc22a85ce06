// Suggests directory entries for an organization field: typing "Ghana" offers "Permanent
// Mission of Ghana". The input keeps any text typed; a picked suggestion is just its exact name.
// Needs an <input list="…" data-suggest-url="…"> and its empty <datalist>; no inline script.
(function () {
  "use strict";
  var MIN_LENGTH = 2;
  var DELAY_MS = 200;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.suggestUrl;
    if (!list || !url || !window.fetch) return;
    var timer = null;
    var asked = "";
    var cache = {};

    function show(results) {
      list.replaceChildren();
      results.forEach(function (entry) {
        var option = document.createElement("option");
        option.value = entry.name;
        if (entry.short_name) option.label = entry.short_name;
        list.appendChild(option);
      });
    }

    function suggest() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH || text === asked) return;
      asked = text;
      if (cache[text]) return show(cache[text]);
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          cache[text] = data.results || [];
          if (input.value.trim() === text) show(cache[text]);
        })
        .catch(function () { /* the field still takes free text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY_MS);
    });
  }

  function init() {
    document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
