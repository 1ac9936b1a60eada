// Studies explorer: sort and filter the studies table in place. The table is complete without
// this script; the script only hides rows and reorders them. It computes nothing clinical.
(function () {
  "use strict";
  var FILTERS = ["Phase", "Therapies", "Design", "Level"];

  function cellText(row, index) {
    return row.cells[index].textContent.trim();
  }

  function values(rows, index) {
    var seen = {};
    rows.forEach(function (row) {
      cellText(row, index).split(",").forEach(function (v) {
        v = v.trim();
        if (v) seen[v] = true;
      });
    });
    return Object.keys(seen).sort();
  }

  function enhance(container) {
    var table = container.querySelector("table");
    if (!table || table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var controls = document.createElement("div");
    controls.className = "explorer-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Filter studies");
    var count = document.createElement("p");
    count.className = "explorer-count";
    count.setAttribute("role", "status");
    var selects = [];

    headers.forEach(function (th, index) {
      var name = th.textContent.trim();
      if (FILTERS.indexOf(name) !== -1) {
        var label = document.createElement("label");
        label.textContent = name;
        var select = document.createElement("select");
        select.dataset.column = index;
        var all = document.createElement("option");
        all.value = "";
        all.textContent = "All";
        select.appendChild(all);
        values(rows, index).forEach(function (v) {
          var option = document.createElement("option");
          option.value = v;
          option.textContent = v;
          select.appendChild(option);
        });
        select.addEventListener("change", apply);
        label.appendChild(select);
        controls.appendChild(label);
        selects.push(select);
      }
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

    container.insertBefore(controls, container.firstChild);
    container.insertBefore(count, controls.nextSibling);
    apply();
  }

  function init() {
    document.querySelectorAll(".study-explorer").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
