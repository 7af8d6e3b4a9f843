// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Character counters for fields with a maxlength, so the limit is seen before it is hit.
  function attachCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max || field.dataset.counterAttached) return;
    field.dataset.counterAttached = "1";
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    var template = document.documentElement.lang === "en" ? "{n} of {max} characters" : "{n} из {max} символов";
    function update() {
      var n = field.value.length;
      counter.textContent = template.replace("{n}", n).replace("{max}", max);
      counter.classList.toggle("over", n >= max);
    }
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }

  // Countdown to a deadline given as an ISO moment in data-deadline.
  function startCountdown(el) {
    var deadline = Date.parse(el.dataset.deadline);
    if (isNaN(deadline)) return;
    var en = document.documentElement.lang === "en";
    function tick() {
      var left = Math.max(0, deadline - Date.now());
      var d = Math.floor(left / 86400000), h = Math.floor(left / 3600000) % 24, m = Math.floor(left / 60000) % 60;
      el.textContent = en ? d + " d " + h + " h " + m + " min" : d + " дн. " + h + " ч " + m + " мин";
      if (left > 0) setTimeout(tick, 30000);
    }
    tick();
  }

  // Forms marked data-once submit once: a double click does not send twice.
  function guardDoubleSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitting) { event.preventDefault(); return; }
      form.dataset.submitting = "1";
      setTimeout(function () { delete form.dataset.submitting; }, 8000);
    });
  }

  // Buttons with data-confirm ask before they act.
  function guardConfirm(button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }

  // File inputs with data-max-bytes warn before a too-large upload is sent.
  function guardFileSize(input) {
    input.addEventListener("change", function () {
      var max = parseInt(input.dataset.maxBytes, 10);
      var tooBig = Array.prototype.some.call(input.files, function (f) { return f.size > max; });
      input.setCustomValidity(tooBig ? input.dataset.tooLargeMessage || "File too large" : "");
      if (tooBig) input.reportValidity();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(attachCounter);
    document.querySelectorAll("[data-deadline]").forEach(startCountdown);
    document.querySelectorAll("form[data-once]").forEach(guardDoubleSubmit);
    document.querySelectorAll("[data-confirm]").forEach(guardConfirm);
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(guardFileSize);
  });
})();
