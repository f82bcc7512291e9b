// Small behaviours kept out of the templates so the Content-Security-Policy can forbid
// inline scripts.
(function () {
  "use strict";

  // Language switch: submit on change.
  document.querySelectorAll(".js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Forms that ask before they act.
  document.querySelectorAll("form.js-confirm").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Formsets: clone the <template> row, numbering it with the next form index.
  document.querySelectorAll(".js-add-form").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.prefix;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty");
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      document.getElementById(prefix + "-forms").insertAdjacentHTML("beforeend", html);
      total.value = parseInt(total.value, 10) + 1;
    });
  });

  // After "显示": the button is gone, so focus moves to the value that replaced it (keyboard
  // and screen-reader users would otherwise be left at the top of the page).
  document.addEventListener("htmx:afterSettle", function () {
    var shown = document.querySelector(".js-revealed");
    if (shown) { shown.classList.remove("js-revealed"); shown.focus(); }
  });

  // Open the tab named in the address (#evidence after an upload, for example).
  if (window.location.hash && window.bootstrap) {
    var trigger = document.querySelector('[data-bs-target="' + window.location.hash + '"]');
    if (trigger) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
  }
})();

document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
