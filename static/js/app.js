// Small page helpers shared by every page (no external requests).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
});

// Icons are decoration: hide them from screen readers (the text beside them or the control's
// aria-label says what they mean), also in parts of pages that htmx swaps in.
function hideIcons(root) {
  (root || document).querySelectorAll("i.bi:not([aria-hidden]):not([aria-label])").forEach(function (i) {
    i.setAttribute("aria-hidden", "true");
  });
}
document.addEventListener("DOMContentLoaded", function () { hideIcons(document); });
document.addEventListener("htmx:afterSwap", function (ev) { hideIcons(ev.target); });

// The record form: submitting without any evidence asks to confirm; for a category that requires
// evidence it stops with the reason (the server refuses it too, see services.submit_problems).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.record-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var button = ev.submitter;
      if (!button || button.name !== "submit") { return; }
      var files = form.querySelector("input[type=file]");
      if (Number(form.dataset.evidenceCount || 0) > 0 || (files && files.files.length > 0)) { return; }
      var required = (form.dataset.evidenceRequired || "").split(",").filter(Boolean);
      var category = form.querySelector("select[name=category]");
      if (category && required.indexOf(category.value) >= 0) {
        window.alert(form.dataset.evidenceRefused);
        ev.preventDefault();
      } else if (!window.confirm(form.dataset.evidenceWarning)) {
        ev.preventDefault();
      }
    });
  });
});
