// Material's search overlay has role="dialog" but no accessible name (axe: aria-dialog-name).
// Name it after its own input's label, so the name stays in the theme's language.
(function () {
  var dialog = document.querySelector('.md-search[role="dialog"]');
  var input = document.querySelector(".md-search__input");
  if (dialog && input && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "Search");
  }
})();
