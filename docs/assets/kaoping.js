/* kaoping: sorting and filtering of ranking tables, and the notice's print button. No libraries. */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return type === "num" ? -Infinity : "";
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    if (type === "num") {
      var n = parseFloat(raw.replace(/[^0-9.\-]/g, ""));
      return isNaN(n) ? -Infinity : n;
    }
    return raw;
  }

  function sortBy(table, header) {
    var headers = Array.prototype.slice.call(header.parentNode.children);
    var index = headers.indexOf(header);
    var type = header.getAttribute("data-sort");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator("zh-Hans-CN");
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var order = type === "num" ? x - y : collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setUpSorting() {
    var tables = document.querySelectorAll("table.kp-sortable");
    Array.prototype.forEach.call(tables, function (table) {
      var headers = table.querySelectorAll("th[data-sort]");
      Array.prototype.forEach.call(headers, function (header) {
        header.setAttribute("tabindex", "0");
        header.setAttribute("title", "点击排序");
        header.addEventListener("click", function () { sortBy(table, header); });
        header.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sortBy(table, header);
          }
        });
      });
    });
  }

  function setUpFilter() {
    var input = document.querySelector(".kp-filter");
    var select = document.querySelector(".kp-grade-filter");
    var counter = document.querySelector(".kp-filter-count");
    if (!input && !select) return;
    function apply() {
      var text = input ? input.value.trim() : "";
      var grade = select ? select.value : "";
      var shown = 0, total = 0;
      var rows = document.querySelectorAll("table.kp-ranking tbody tr");
      Array.prototype.forEach.call(rows, function (row) {
        total += 1;
        var name = row.getAttribute("data-name") || "";
        var ok = (!text || name.indexOf(text) !== -1) && (!grade || row.getAttribute("data-grade") === grade);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (counter) counter.textContent = (text || grade) ? "显示 " + shown + " / " + total + " 个单位" : "";
    }
    if (input) input.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
  }

  function setUpPrint() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });
  }

  function start() {
    setUpSorting();
    setUpFilter();
    setUpPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
