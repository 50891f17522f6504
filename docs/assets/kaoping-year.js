/* kaoping: filtering the office's list of rectification tasks by status and overdue, in the browser. No libraries.
   A task is overdue when its due date (data-due) has passed and it is not done, or when the build found it
   not put right in time at the year's end (data-late="yes"). The counter says how many the filter finds of
   all (共 Y 项，找到 X 项); when it finds none, one line says so in place of the empty table. */
(function () {
  "use strict";

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function overdue(row, now) {
    if (row.getAttribute("data-late") === "yes") return true;
    var due = row.getAttribute("data-due") || "";
    return row.getAttribute("data-status") !== "done" && due !== "" && due < now;
  }

  /* What the counter says while the filter is on. */
  function foundWords(shown, total) {
    return "共 " + total + " 项，" + (shown ? "找到 " + shown + " 项" : "没有符合条件的");
  }

  /* With no task found, the table (and its scroll hint, CSS) gives way to one line after it; the line is no
     live region: the counter alone is said. */
  function foldTable(wrap, empty) {
    var line = wrap.nextElementSibling;
    var own = line && line.classList.contains("kp-task-none");
    wrap.hidden = empty;
    if (empty && !own) {
      line = document.createElement("p");
      line.className = "kp-task-none";
      line.textContent = "没有符合条件的整改任务";
      wrap.parentNode.insertBefore(line, wrap.nextSibling);
    } else if (!empty && own) {
      line.parentNode.removeChild(line);
    }
  }

  function setUpTaskFilter() {
    var bar = document.querySelector(".kp-task-filter");
    if (!bar) return;
    var status = bar.querySelector(".kp-task-status");
    var late = bar.querySelector(".kp-task-overdue");
    var counter = bar.querySelector(".kp-filter-count");
    var table = document.querySelector("table.kp-task-list");
    var rows = table.querySelectorAll("tbody tr");
    var wrap = table.parentNode;
    function apply() {
      var now = today(), shown = 0;
      var active = !!status.value || late.checked;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = (!status.value || row.getAttribute("data-status") === status.value) && (!late.checked || overdue(row, now));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      foldTable(wrap, active && shown === 0);
      counter.textContent = active ? foundWords(shown, rows.length) : "";
    }
    status.addEventListener("change", apply);
    late.addEventListener("change", apply);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpTaskFilter);
  } else {
    setUpTaskFilter();
  }
})();
