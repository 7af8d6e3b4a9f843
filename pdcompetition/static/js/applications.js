// The applicant's pages: progressive enhancement only, every page works without this file.
(function () {
  "use strict";

  // The region list matters only for Russia: hide it for other countries.
  function linkRegionToCountry(form) {
    var country = form.querySelector("select[name=country_code]");
    var region = form.querySelector(".region-field");
    if (!country || !region) return;
    function update() { region.classList.toggle("hidden", country.value !== "RU"); }
    country.addEventListener("change", update);
    update();
  }

  // After a clash with another window: copy the other version into the field on request.
  function enableUseOther(button) {
    var field = document.getElementById(button.dataset.useOther);
    if (!field) return;
    button.classList.remove("hidden");
    button.addEventListener("click", function () {
      if (field.type === "radio" || field.tagName === "UL" || field.tagName === "DIV") return;
      field.value = button.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    });
  }

  // Ask before leaving a section with unsaved changes (saving clears the question).
  function trackChanges(form) {
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("change", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!changed) return;
      event.preventDefault();
      event.returnValue = form.dataset.leaveWarning || "";
    });
  }

  function enablePrint(button) {
    button.classList.remove("hidden");
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.application-form").forEach(linkRegionToCountry);
    document.querySelectorAll("[data-use-other]").forEach(enableUseOther);
    document.querySelectorAll("form[data-track-changes]").forEach(trackChanges);
    document.querySelectorAll("[data-print]").forEach(enablePrint);
  });
})();
