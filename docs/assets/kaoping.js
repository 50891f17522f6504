/* kaoping: sorting and filtering of ranking tables, folded parts, the notice's print button and the
   place of its 版记 on paper. No libraries; every page works without it (tables sorted, parts unfolded on
   paper, the 版记 after the text). */
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // ---- ranking tables: sort by any column, the state said to screen readers ----

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

  function headerName(header) {
    var label = header.querySelector(".kp-sort__label");
    return (label || header).textContent.trim();
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
    var words = type === "num" ? (ascending ? "从低到高" : "从高到低") : (ascending ? "按拼音顺序" : "按拼音倒序");
    var said = "按" + headerName(header) + words + "排列";
    if (table.caption) table.caption.textContent = said + "。点列标题可按该列排序。";
    var hint = table.parentNode.previousElementSibling;
    if (hint && hint.classList.contains("kp-hint")) hint.textContent = said + "；点列标题排序，左右滑动看其他各列。";
    var status = document.querySelector("[data-sort-status]");
    if (status) status.textContent = "已" + said;
  }

  function setUpSorting() {
    each(document.querySelectorAll("table.kp-sortable"), function (table) {
      each(table.querySelectorAll("th[data-sort]"), function (header) {
        var button = header.querySelector("button.kp-sort");
        if (button) button.addEventListener("click", function () { sortBy(table, header); });
      });
    });
  }

  // ---- the ranking's filter: by name, 简称 or code and by grade, each group saying when it has none ----

  /* What the counter says. Units are counted as the page counts them, those that take part in the
     assessment (参加考核, as the grade counts add up); one listed but not assessed is named apart. */
  function foundWords(found, others, assessed) {
    if (!found && !others) return "没有找到符合条件的单位";
    if (!found) return "只找到 " + others + " 个不参加考核的单位（参加考核的 " + assessed + " 个单位中没有）";
    var words = "参加考核的 " + assessed + " 个单位中找到 " + found + " 个";
    return others ? words + "，另有 " + others + " 个不参加考核的单位" : words;
  }

  function poolOf(node) {
    for (; node && node.classList; node = node.parentNode) {
      if (node.classList.contains("kp-pool")) return node;
    }
    return null;
  }

  /* A group the filter finds no unit in folds to its heading and one line, in place of its counts, its
     empty table and its chart (CSS): on a phone the units found are not screens of empty tables apart.
     The line is no live region: the counter alone is said, once for the page. */
  function foldPool(pool, empty) {
    var head = pool.querySelector(".kp-pool-head");
    var line = head ? head.querySelector(".kp-pool-none") : null;
    if (empty) pool.classList.add("kp-pool--none"); else pool.classList.remove("kp-pool--none");
    if (empty && head && !line) {
      line = document.createElement("p");
      line.className = "kp-pool-none";
      line.textContent = "本组没有符合条件的单位";
      head.appendChild(line);
    } else if (!empty && line) {
      head.removeChild(line);
    }
  }

  function setUpFilter() {
    var input = document.querySelector(".kp-filter");
    var select = document.querySelector(".kp-grade-filter");
    var counter = document.querySelector(".kp-filter-count");
    if (!input && !select) return;
    var tables = document.querySelectorAll("table.kp-ranking");
    function apply() {
      var text = input ? input.value.trim() : "";
      var code = text.toLowerCase();
      var grade = select ? select.value : "";
      var active = text !== "" || grade !== "";
      var found = 0, others = 0, assessed = 0;
      each(tables, function (table) {
        var shown = 0;
        each(table.querySelectorAll("tbody tr"), function (row) {
          var counted = !row.hasAttribute("data-not-assessed");
          if (counted) assessed += 1;
          var names = (row.getAttribute("data-name") || "") + "\n" + (row.getAttribute("data-abbr") || "");
          var match = !text || names.indexOf(text) !== -1 ||
            (row.getAttribute("data-code") || "").toLowerCase().indexOf(code) !== -1;
          var ok = match && (!grade || row.getAttribute("data-grade") === grade);
          row.hidden = !ok;
          if (!ok) return;
          shown += 1;
          if (counted) found += 1; else others += 1;
        });
        var pool = poolOf(table);
        if (pool) foldPool(pool, active && shown === 0);
      });
      if (counter) {
        counter.textContent = active ? foundWords(found, others, assessed) : "";
        // On paper the filter's fields are not printed: the counter says what was looked for (kaoping.css).
        var looked = [];
        if (text) looked.push("查找“" + text + "”");
        if (grade) looked.push("等次“" + select.options[select.selectedIndex].text + "”");
        counter.setAttribute("data-filter", looked.length ? looked.join("，") + "：" : "");
        var bar = counter.parentNode;
        if (bar && bar.classList) {
          if (active) bar.classList.add("kp-filter-bar--active"); else bar.classList.remove("kp-filter-bar--active");
        }
      }
      hintScrolling();  // the groups shown again, and the rows left, may scroll sideways or no longer
    }
    if (input) input.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
  }

  // ---- folded parts: the unit's whole table, the standards' parts ----

  /* Open every fold around the element a link points to (#3.5.3 in a chat message), then show it. */
  function reveal(hash, scroll) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) node.open = true;
    }
    if (scroll) target.scrollIntoView();
  }

  function setUpParts() {
    var toggle = document.querySelector("[data-parts-toggle]");
    var parts = document.querySelectorAll("details.kp-part");
    if (toggle && parts.length) {
      var update = function () {
        var all = Array.prototype.every.call(parts, function (d) { return d.open; });
        toggle.textContent = all ? "全部折叠" : "全部展开";
        toggle.setAttribute("aria-expanded", all ? "true" : "false");
      };
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        each(parts, function (d) { d.open = open; });
        update();
      });
      each(parts, function (d) { d.addEventListener("toggle", update); });
      update();
    }
    // Standards: every part shows on a wide screen (CSS); opened here so that one tap folds it.
    var wide = window.matchMedia("(min-width: 45em)").matches;
    each(document.querySelectorAll("details.kp-std-part"), function (d) {
      if (wide) d.open = true;
      d.addEventListener("toggle", function () { d.classList.toggle("kp-folded", !d.open); });
    });
    reveal(window.location.hash, true);
    window.addEventListener("hashchange", function () { reveal(window.location.hash, true); });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (link) reveal(link.getAttribute("href"), false);
    });
    // Paper shows every part (CSS does it in Chromium; this for the other browsers).
    window.addEventListener("beforeprint", function () {
      each(document.querySelectorAll("details.kp-part, details.kp-std-part"), function (d) { d.open = true; });
    });
  }

  // ---- the notice: print button, and its 版记 on the last page's bottom edge ----

  function setUpPrint() {
    each(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });
  }

  var MM = 96 / 25.4;
  // The 版心's height on paper; the 版记 is placed a hair above its edge, so that rounding never pushes it on.
  var PAGE = 225 * MM;
  var SLACK = 0.5;

  /* The line boxes of a laid-out notice, top and bottom, in its own coordinates: each line of text grown
     from its glyphs' box to its line height, as the page breaks between line boxes. */
  function lines(article) {
    var origin = article.getBoundingClientRect().top;
    var out = [];
    each(article.querySelectorAll("p, h1, hr"), function (el) {
      if (el.closest(".kp-notice__record")) return;
      if (el.tagName === "HR") {
        var r = el.getBoundingClientRect();
        out.push([r.top - origin, r.bottom - origin]);
        return;
      }
      var height = parseFloat(window.getComputedStyle(el).lineHeight);
      var range = document.createRange();
      range.selectNodeContents(el);
      each(range.getClientRects(), function (r) {
        if (r.height <= 0) return;
        var line = isNaN(height) ? r.height : Math.max(height, r.height);
        var top = r.top - origin - (line - r.height) / 2;
        out.push([top, top + line]);
      });
    });
    return out.sort(function (a, b) { return a[0] - b[0]; });
  }

  /* How much room to leave before the 版记 so that its last rule lies on the 版心's bottom edge: the notice
     is paginated as Chromium does (a line that does not fit goes to the next page whole), on the last page
     the 版记 takes the bottom; when it does not fit there, it goes to the bottom of the next page. */
  function spacerHeight(copy) {
    var record = copy.querySelector(".kp-notice__record");
    var origin = copy.getBoundingClientRect().top;
    var start = 0;
    var last = 0;
    lines(copy).forEach(function (line) {
      if (line[0] < last - 1) return;  // a second box on a line already counted
      // 22 lines fill the page to 0.09 px: positions carry less noise than that
      if (line[1] - start > PAGE + 0.05) start = line[0];
      last = line[1];
    });
    var rect = record.getBoundingClientRect();
    var margin = parseFloat(window.getComputedStyle(record).marginTop) || 0;
    var top = rect.top - origin - margin;
    var left = PAGE - (top - start);
    var needed = rect.height + margin;
    return (left >= needed ? left - needed : left + PAGE - needed) - SLACK;
  }

  function placeRecord() {
    var article = document.querySelector("article.kp-notice");
    if (!article || !article.querySelector(".kp-notice__record")) return;
    var spacer = article.querySelector(".kp-notice__spacer");
    var copy = article.cloneNode(true);
    copy.classList.add("kp-notice--measure");
    copy.removeAttribute("id");
    each(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    copy.querySelector(".kp-notice__spacer").style.height = "0";
    article.parentNode.appendChild(copy);
    var height = spacerHeight(copy);
    copy.parentNode.removeChild(copy);
    spacer.style.height = Math.max(0, height).toFixed(2) + "px";
  }

  function setUpNotice() {
    if (!document.querySelector("article.kp-notice")) return;
    var ready = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    ready.then(placeRecord);
    window.addEventListener("beforeprint", placeRecord);
  }

  // ---- marks (补, 解): what each one says, on a tap as well (a phone has no hover for a title) ----

  function setUpMarks() {
    var tip = null;
    function hide() {
      if (tip) tip.parentNode.removeChild(tip);
      tip = null;
    }
    document.addEventListener("click", function (event) {
      var mark = event.target.closest ? event.target.closest(".kp-mark[title]") : null;
      var same = mark && tip && tip.getAttribute("data-for") === mark.getAttribute("title");
      hide();
      if (!mark || same) return;
      // a mark in a part's heading explains itself without folding the part
      if (mark.closest("summary")) event.preventDefault();
      tip = document.createElement("p");
      tip.className = "kp-tip";
      tip.setAttribute("role", "status");
      tip.setAttribute("data-for", mark.getAttribute("title"));
      tip.textContent = mark.getAttribute("title");
      document.body.appendChild(tip);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  // ---- a table wider than the screen (a phone's): say that it scrolls sideways, above it ----

  function hintScrolling() {
    each(document.querySelectorAll(".kp-table-wrap"), function (wrap) {
      if (!wrap.getClientRects().length) return;  // not shown (a filter hid it): its hint waits for it
      var before = wrap.previousElementSibling;
      var own = before && before.classList.contains("kp-scroll-hint");
      var said = before && !own && before.classList.contains("kp-hint") && before.textContent.indexOf("左右滑动") >= 0;
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !own && !said) {
        var hint = document.createElement("p");
        hint.className = "kp-hint kp-scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "表格较宽，左右滑动看其他各列。";
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!scrolls && own) {
        before.parentNode.removeChild(before);
      }
    });
  }

  function setUpScrollHints() {
    hintScrolling();
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending !== null) window.clearTimeout(pending);
      pending = window.setTimeout(function () { pending = null; hintScrolling(); }, 200);
    });
  }

  // ---- the skip link Material gives only pages with a table of contents (unit pages have none) ----

  function setUpSkip() {
    var holder = document.querySelector('[data-md-component="skip"]');
    var heading = document.querySelector("article h1[id]");
    if (!holder || !heading || holder.querySelector("a.md-skip")) return;
    var link = document.createElement("a");
    link.className = "md-skip";
    link.href = "#" + encodeURIComponent(heading.id);
    link.textContent = "跳转至";
    holder.appendChild(link);
  }

  function start() {
    setUpSkip();
    setUpScrollHints();
    setUpMarks();
    setUpSorting();
    setUpFilter();
    setUpParts();
    setUpPrint();
    setUpNotice();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
