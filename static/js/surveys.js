/* Survey pages: campaign enterprise checkboxes and the follow-up rows of the
   visit form. No inline scripts (CSP). */
(function () {
  "use strict";

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-check-suggested], [data-uncheck-all]");
    if (button) {
      var box = document.getElementById("enterprise-options");
      if (!box) { return; }
      var suggested = button.hasAttribute("data-check-suggested");
      box.querySelectorAll('input[type="checkbox"][name="enterprises"]').forEach(function (el) {
        el.checked = suggested ? el.hasAttribute("data-suggested") : false;
      });
      ev.preventDefault();
      return;
    }
    var add = ev.target.closest("[data-add-row]");
    if (add) {
      var prefix = add.getAttribute("data-add-row");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty");
      var rows = document.getElementById(prefix + "-rows");
      if (!total || !template || !rows) { return; }
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select");
      if (first) { first.focus(); }
      ev.preventDefault();
    }
  });
})();
