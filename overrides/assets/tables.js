// A table wider than the screen (a phone) hides columns off to its side, where nothing shows
// they are there: say so above it (theme.js already lets the keyboard scroll it).
(function () {
  "use strict";

  var TEXT = "Scroll the table sideways to see every column.";

  function hint(table) {
    if (table.closest(".explorer-table")) return; // its hint is in the page, shown by the stylesheet
    var overflows = table.scrollWidth > table.clientWidth + 1;
    var note = table.previousElementSibling;
    var has = Boolean(note && note.classList.contains("table-scroll-hint"));
    if (overflows && !has) {
      note = document.createElement("p");
      note.className = "table-scroll-hint";
      note.textContent = TEXT;
      table.parentNode.insertBefore(note, table);
    } else if (!overflows && has) {
      note.remove();
    }
  }

  function all() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(hint);
  }

  function init() {
    all();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(all, 150);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
