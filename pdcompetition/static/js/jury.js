// The score sheet: live weighted total, extreme-score hints, keyboard shortcuts, and a
// warning before leaving unsaved changes. The page works the same without this file.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "ru";

  function formatTotal(value) {
    return value.toLocaleString(lang === "en" ? "en-GB" : "ru-RU", {
      minimumFractionDigits: 1, maximumFractionDigits: 1
    });
  }

  // Mirrors domain/scoring.py weighted_total: sum of value / max x weight, scaled to 100.
  function readScore(input) {
    var raw = input.value.trim();
    var max = parseInt(input.dataset.max, 10);
    if (raw === "" || !/^[+-]?\d+$/.test(raw)) return { value: null, bad: raw !== "" };
    var value = parseInt(raw, 10);
    if (value < 0 || value > max) return { value: null, bad: true };
    return { value: value, bad: false, max: max, weight: parseFloat(input.dataset.weight) };
  }

  function setupSheet(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.score-input"));
    var output = document.getElementById("sheet-total");
    var count = document.getElementById("scored-count");
    var dirty = false;

    function update() {
      var total = 0, weights = 0, scored = 0, complete = true;
      inputs.forEach(function (input) {
        var score = readScore(input);
        input.classList.toggle("out-of-range", score.bad);
        var fieldset = input.closest("fieldset");
        if (score.value === null) {
          complete = false;
          if (fieldset) fieldset.classList.remove("extreme");
          return;
        }
        scored += 1;
        total += score.value / score.max * score.weight;
        weights += score.weight;
        if (fieldset) fieldset.classList.toggle("extreme", score.value === 0 || score.value === score.max);
      });
      if (output) output.textContent = complete && weights > 0 ? formatTotal(total / weights * 100) : "—";
      if (count) count.textContent = String(scored);
    }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });

    function click(name) {
      var button = form.querySelector("button[name=" + name + "], input[type=submit][name=" + name + "]");
      if (button) { button.click(); return true; }
      return false;
    }

    document.addEventListener("keydown", function (event) {
      var mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      if (event.key === "s" || event.key === "S" || event.key === "ы" || event.key === "Ы") {
        event.preventDefault();
        if (!click("save")) click("submit");
      } else if (event.key === "Enter") {
        event.preventDefault();
        click("submit");
      }
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sheet-form");
    if (form) setupSheet(form);
  });
})();
