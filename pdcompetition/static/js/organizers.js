// Screening list: a "select all on this page" box. Progressive enhancement only.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector(".screening-table");
    if (!table) return;
    var boxes = table.querySelectorAll("tbody input[type=checkbox]");
    var cell = table.querySelector("thead th");
    if (!boxes.length || !cell) return;
    var all = document.createElement("input");
    all.type = "checkbox";
    all.setAttribute("aria-label", document.documentElement.lang === "en" ? "Select all on this page" : "Выбрать все на странице");
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    cell.appendChild(all);
  });
})();
