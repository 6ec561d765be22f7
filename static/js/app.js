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
