/* kaoping: filtering the office's list of rectification tasks by status and overdue, in the browser. No libraries.
   A task is overdue when its due date (data-due) has passed and it is not done, or when the build found it
   not put right in time at the year's end (data-late="yes"). */
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

  function setUpTaskFilter() {
    var bar = document.querySelector(".kp-task-filter");
    if (!bar) return;
    var status = bar.querySelector(".kp-task-status");
    var late = bar.querySelector(".kp-task-overdue");
    var counter = bar.querySelector(".kp-filter-count");
    var rows = document.querySelectorAll("table.kp-task-list tbody tr");
    function apply() {
      var now = today(), shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = (!status.value || row.getAttribute("data-status") === status.value) && (!late.checked || overdue(row, now));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      counter.textContent = (status.value || late.checked) ? "显示 " + shown + " / " + rows.length + " 项" : "";
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
