/* Behaviour that would otherwise need inline scripts (forbidden by the CSP). */
(function () {
  "use strict";

  // Progress bars: <div class="progress-bar" data-width="42"> → width 42 %.
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var v = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(v)) { el.style.width = Math.max(0, Math.min(100, v)) + "%"; }
    });
  }

  // Forms that submit themselves when a control changes (filters).
  function autoSubmit(root) {
    root.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
      if (el.dataset.bound) { return; }
      el.dataset.bound = "1";
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  }

  // Buttons that ask before doing something irreversible.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });

  // "Tick all": <button data-check-all="table-id"> ticks every box of the table
  // (or clears them when all are ticked).
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-check-all]");
    if (!button) { return; }
    var table = document.getElementById(button.getAttribute("data-check-all"));
    if (!table) { return; }
    var boxes = table.querySelectorAll('input[type="checkbox"]');
    var all = Array.prototype.every.call(boxes, function (el) { return el.checked; });
    boxes.forEach(function (el) { el.checked = !all; });
    ev.preventDefault();
  });

  // Fields that belong to one choice of a radio group:
  // <form data-choice-fields='{"radio": {"value": ["field", ...], ...}}'>. The
  // fields of the choices not taken are hidden (the server ignores them; with
  // no script they all show, as the form's text says).
  function choiceFields(root) {
    root.querySelectorAll("form[data-choice-fields]").forEach(function (form) {
      if (form.dataset.choiceBound) { return; }
      form.dataset.choiceBound = "1";
      var spec;
      try { spec = JSON.parse(form.getAttribute("data-choice-fields")); } catch (e) { return; }
      Object.keys(spec).forEach(function (radio) {
        var radios = form.querySelectorAll('input[type="radio"][name="' + radio + '"]');
        function update() {
          var checked = form.querySelector('input[type="radio"][name="' + radio + '"]:checked');
          Object.keys(spec[radio]).forEach(function (choice) {
            spec[radio][choice].forEach(function (name) {
              var input = form.querySelector('[name="' + name + '"]');
              if (!input) { return; }
              var box = input.closest('[class*="col-"]') || input.parentElement;
              box.hidden = !checked || checked.value !== choice;
            });
          });
        }
        radios.forEach(function (el) { el.addEventListener("change", update); });
        update();
      });
    });
  }

  function init(root) { applyWidths(root); autoSubmit(root); choiceFields(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
})();
