// Studies explorer: sort and filter the studies table in place. The table is complete without
// this script; the script only hides rows and reorders them. It computes nothing clinical.
(function () {
  "use strict";
  function cellText(row, index) {
    return row.cells[index].textContent.trim();
  }

  // The filters and the count are in the page already (drawn at build time, so nothing shifts
  // when this script starts); here they are wired to the table, and headers become sort buttons.
  function enhance(container) {
    var table = container.querySelector("table");
    if (!table || table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = container.querySelector(".explorer-count");
    var selects = Array.prototype.slice.call(container.querySelectorAll(".explorer-controls select"));
    selects.forEach(function (select) { select.addEventListener("change", apply); });

    headers.forEach(function (th, index) {
      var name = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = name;
      button.setAttribute("aria-label", "Sort by " + name);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(index, th); });
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          var cell = cellText(row, Number(select.dataset.column)).split(",").map(function (v) { return v.trim(); });
          return cell.indexOf(select.value) !== -1;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " studies shown";
    }

    function sortBy(index, th) {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellText(a, index), y = cellText(b, index);
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
        if (!x && y) return 1;
        if (x && !y) return -1;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }

    apply();
  }

  function init() {
    document.querySelectorAll(".study-explorer").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
