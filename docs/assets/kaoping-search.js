/* kaoping search: the header's search box, answered from the index in search/kaoping/ (generator/searchindex.py).
 *
 * A query matches the documents that contain it as typed, like the browser's Find: the index holds every
 * pair of neighbouring characters with its positions, and a query is its pairs at consecutive positions.
 * Words separated by spaces find the documents holding all of them; when none does, those holding some of
 * them, the more the better, then the rarer the words they hold, and the line above the results says so.
 * Nothing is loaded until someone types. The index files are scripts, loaded with <script> tags, so search
 * works over http and from a folder opened in the browser (file://) alike. Results use Material's markup.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = script ? script.src.replace(/assets\/kaoping-search\.js(?:[?#].*)?$/, "") : "";
  var FOLDER = "search/kaoping/";
  var SHOWN = 10;
  var MORE = 20;

  var manifest = null;
  var shards = {};
  var chunks = {};
  var loading = {};

  // The index files call these.
  window.kaopingSearch = {
    m: function (data) { manifest = data; },
    t: function (n, data) { shards[n] = data; },
    d: function (n, rows) { chunks[n] = rows; }
  };

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        var version = manifest ? manifest.version : String(Date.now());
        tag.src = ROOT + FOLDER + path + "?v=" + version;
        tag.async = true;
        tag.onload = function () { tag.remove(); resolve(); };
        tag.onerror = function () { tag.remove(); delete loading[path]; reject(new Error(path)); };
        document.head.appendChild(tag);
      });
    }
    return loading[path];
  }

  // ------------------------------------------------------------------------------------------
  // Text as the index sees it (the same rules as generator/searchindex.py)
  // ------------------------------------------------------------------------------------------

  var LETTER = /[\p{L}\p{N}]/u;

  function foldChar(c) {
    var n = c.normalize("NFKC");
    if (Array.from(n).length === 1) c = n;
    return c >= "A" && c <= "Z" ? c.toLowerCase() : c;
  }

  function indexable(c) {
    return manifest.joiners.indexOf(c) >= 0 || LETTER.test(c);
  }

  function hash(pair) {
    var h = 0;
    for (var c of pair) h = (Math.imul(h, 31) + c.codePointAt(0)) >>> 0;
    return h;
  }

  /* A query: its terms (split at spaces), each a list of [offset, pair] and the word as typed (to name it in
     a partial answer). Every other pair is enough: pairs at offsets 0, 2, 4 … and the last one cover every
     character at its place, so the documents that hold them at those offsets hold the whole term, and a long
     query loads half the shards. */
  var MAX_QUERY = 64;

  function parse(query) {
    var terms = [];
    Array.from(query.normalize("NFC")).slice(0, MAX_QUERY).join("").split(/\s+/).forEach(function (word) {
      var chars = Array.from(word).map(foldChar);
      if (chars.length < 2) return;
      var pairs = [];
      for (var i = 0; i + 1 < chars.length; i++) {
        if (!indexable(chars[i]) || !indexable(chars[i + 1])) continue;
        var last = pairs.length ? pairs[pairs.length - 1][0] : -2;
        if (i - last >= 2 || i + 2 === chars.length) pairs.push([i, chars[i] + chars[i + 1]]);
      }
      if (pairs.length) terms.push({ typed: word, text: chars.join(""), length: chars.length, pairs: pairs });
    });
    return terms;
  }

  function shardOf(pair) { return hash(pair) % manifest.shards; }

  /* doc → sorted positions of a pair. */
  function postings(pair) {
    var flat = (shards[shardOf(pair)] || {})[pair];
    var out = new Map();
    if (!flat) return out;
    var doc = 0;
    for (var i = 0; i < flat.length;) {
      doc += flat[i];
      var count = flat[i + 1];
      var p = flat[i + 2];
      var positions = [p];
      for (var k = 1; k < count; k++) { p += flat[i + 2 + k]; positions.push(p); }
      out.set(doc, positions);
      i += 2 + count;
    }
    return out;
  }

  /* doc → start positions of a term (its pairs at consecutive positions). */
  function matches(term) {
    var lists = term.pairs.map(function (pair) { return { offset: pair[0], docs: postings(pair[1]) }; });
    lists.sort(function (a, b) { return a.docs.size - b.docs.size; });
    var first = lists[0];
    var found = new Map();
    first.docs.forEach(function (positions, doc) {
      var others = [];
      for (var j = 1; j < lists.length; j++) {
        var p = lists[j].docs.get(doc);
        if (!p) return;
        others.push({ offset: lists[j].offset, set: new Set(p) });
      }
      var starts = [];
      positions.forEach(function (pos) {
        var start = pos - first.offset;
        for (var o = 0; o < others.length; o++) {
          if (!others[o].set.has(start + others[o].offset)) return;
        }
        starts.push(start);
      });
      if (starts.length) found.set(doc, starts);
    });
    return found;
  }

  var KIND_WEIGHT = { "标准": 6, "通报": 4, "结果": 3, "概况": 2, "单位": 0, "首页": 1, "说明": -3 };

  /* What a term held by ``docs`` documents says about what the reader wants: the fewer hold it, the more
     (lunr's idf, as Material's own search weighs words). A unit's name on two pages says more than a word of
     the standards on forty. */
  function rarity(docs) {
    return Math.log(1 + (manifest.docs - docs + 0.5) / (docs + 0.5));
  }

  /* The documents holding every term; when none holds them all, those holding any (``partial``), each with
     how many terms it holds (``held``) and, in a partial answer, how rare they are (``weight``: the sum of
     their rarities; 0 when every document holds every term). Scored by where the terms it holds are (title,
     names, body) and how often; its hits are the places of those terms. ``absent``: the terms no document
     holds. */
  function rank(terms) {
    var perTerm = terms.map(matches);
    var rarities = perTerm.map(function (m) { return rarity(m.size); });
    var held = new Map();
    perTerm.forEach(function (m) {
      m.forEach(function (_, doc) { held.set(doc, (held.get(doc) || 0) + 1); });
    });
    var docs = [];
    held.forEach(function (n, doc) { if (n === terms.length) docs.push(doc); });
    var partial = !docs.length;
    if (partial) docs = Array.from(held.keys());
    var results = docs.map(function (doc) {
      var score = 0;
      var weight = 0;
      var hits = [];
      perTerm.forEach(function (m, t) {
        var starts = m.get(doc);
        if (!starts) return;
        if (partial) weight += rarities[t];
        var inTitle = starts.some(function (p) { return p < manifest.names; });
        var inNames = starts.some(function (p) { return p >= manifest.names && p < manifest.body; });
        score += inTitle ? 30 : inNames ? 25 : 10;
        score += Math.min(starts.length, 5);
        starts.forEach(function (p) { hits.push([p, terms[t].length]); });
      });
      score += KIND_WEIGHT[manifest.kinds[+manifest.kindOf.charAt(doc)]] || 0;
      return { doc: doc, score: score, hits: hits, held: held.get(doc), weight: weight };
    });
    var absent = terms.filter(function (_, t) { return !perTerm[t].size; });
    return { results: results, partial: partial, absent: absent };
  }

  /* Best first: in a partial answer more of the terms held, then the rarer of them; then the score. */
  function better(a, b) {
    return b.held - a.held || b.weight - a.weight || b.score - a.score || a.doc - b.doc;
  }

  // ------------------------------------------------------------------------------------------
  // Showing results in Material's search panel
  // ------------------------------------------------------------------------------------------

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ``text`` (code points from ``from``) with the hits inside it marked. */
  function marked(chars, from, to, hits, base) {
    var flags = new Array(to - from).fill(false);
    hits.forEach(function (h) {
      for (var k = 0; k < h[1]; k++) {
        var at = h[0] - base + k - from;
        if (at >= 0 && at < flags.length) flags[at] = true;
      }
    });
    var out = "";
    var open = false;
    for (var i = 0; i < flags.length; i++) {
      if (flags[i] && !open) { out += "<mark>"; open = true; }
      if (!flags[i] && open) { out += "</mark>"; open = false; }
      out += escapeHtml(chars[from + i]);
    }
    return out + (open ? "</mark>" : "");
  }

  function passage(body, hits) {
    var chars = Array.from(body);
    var inBody = hits.filter(function (h) { return h[0] >= manifest.body; }).sort(function (a, b) { return a[0] - b[0]; });
    var start = inBody.length ? Math.max(0, inBody[0][0] - manifest.body - 24) : 0;
    var end = Math.min(chars.length, start + 110);
    return (start > 0 ? "…" : "") + marked(chars, start, end, inBody, manifest.body) + (end < chars.length ? "…" : "");
  }

  function item(result, row) {
    var url = row[0], title = row[1], names = row[2], body = row[3];
    var kind = manifest.kinds[row[4]], where = manifest.wheres[row[5]];
    // a page of sample results (manifest.samples: generator/site/searchindex.py)
    var sample = !!(manifest.samples && manifest.samples[row[5]]);
    var titleChars = Array.from(title);
    var titleHits = result.hits.filter(function (h) { return h[0] < manifest.names; });
    var nameHits = result.hits.filter(function (h) { return h[0] >= manifest.names && h[0] < manifest.body; });
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var parts = [
      '<a href="' + escapeHtml(ROOT + url) + '" class="md-search-result__link" tabindex="-1">',
      '<article class="md-search-result__article md-typeset" data-md-score="' + result.score + '">',
      '<div class="md-search-result__icon md-icon"></div>',
      "<h1>" + marked(titleChars, 0, titleChars.length, titleHits, 0) + "</h1>",
      '<p class="kp-search-where"><span class="kp-search-kind">' + escapeHtml(kind) + "</span>" +
        (where ? " " + escapeHtml(where) : "") +
        (sample ? ' <span class="kp-tag kp-tag--sample">示例数据</span>' : "") + "</p>"
    ];
    if (names) {
      var nameChars = Array.from(names);
      parts.push('<p class="kp-search-names">' + marked(nameChars, 0, nameChars.length, nameHits, manifest.names) + "</p>");
    }
    if (body) parts.push("<p>" + passage(body, result.hits) + "</p>");
    parts.push("</article></a>");
    li.innerHTML = parts.join("");
    return li;
  }

  function chunkOf(doc) { return Math.floor(doc / manifest.chunk); }

  function rows(results) {
    var needed = {};
    results.forEach(function (r) { needed[chunkOf(r.doc)] = true; });
    return Promise.all(Object.keys(needed).map(function (n) { return load("d/" + n + ".js"); })).then(function () {
      return results.map(function (r) { return chunks[chunkOf(r.doc)][r.doc % manifest.chunk]; });
    });
  }

  // ------------------------------------------------------------------------------------------
  // The search box
  // ------------------------------------------------------------------------------------------

  function translations() {
    try {
      return JSON.parse(document.getElementById("__config").textContent).translations || {};
    } catch (e) {
      return {};
    }
  }

  function setUp() {
    var panel = document.querySelector("[data-kp-search]");
    if (!panel) return;
    var input = panel.querySelector("input.md-search__input");
    var meta = panel.querySelector(".md-search-result__meta");
    var list = panel.querySelector(".md-search-result__list");
    var toggle = document.getElementById("__search");
    var words = translations();
    var sequence = 0;
    var current = [];
    var shown = 0;

    function say(text) { meta.textContent = text; }
    function count(n) {
      if (n === 1) return words["search.result.one"] || "找到 1 个符合条件的结果";
      return (words["search.result.other"] || "# 个符合条件的结果").replace("#", n);
    }
    /* The words of ``terms`` as typed, each once. */
    function typed(terms) {
      var seen = [];
      terms.forEach(function (t) { if (seen.indexOf(t.typed) < 0) seen.push(t.typed); });
      return seen;
    }
    function quoted(list) { return list.map(function (w) { return "“" + w + "”"; }).join(""); }
    /* The line above a partial answer: no page holds every word (or one occurs nowhere), and what the n hold. */
    function partly(n, terms, absent) {
      var found = typed(terms.filter(function (t) { return absent.indexOf(t) < 0; }));
      return (absent.length ? "没有找到" + quoted(typed(absent)) : "没有同时包含" + quoted(typed(terms)) + "的页面") +
        "，以下 " + n + " 个结果" + (found.length === 1 ? "包含" + quoted(found) : "包含其中部分词语");
    }

    function open(on) {
      if (toggle && toggle.checked !== on) {
        toggle.checked = on;
        toggle.dispatchEvent(new Event("change"));
      }
    }

    function showMore(mine) {
      var next = current.slice(shown, shown + (shown ? MORE : SHOWN));
      if (!next.length) return Promise.resolve();
      return rows(next).then(function (found) {
        if (mine !== sequence) return;
        var more = list.querySelector(".kp-search-more");
        if (more) more.remove();
        found.forEach(function (row, i) { list.appendChild(item(next[i], row)); });
        shown += next.length;
        if (shown < current.length) {
          var li = document.createElement("li");
          li.className = "md-search-result__item kp-search-more";
          li.innerHTML = '<button type="button" class="md-search-result__more">显示更多结果（还有 ' +
            (current.length - shown) + " 个）</button>";
          li.querySelector("button").addEventListener("click", function () { showMore(sequence); });
          list.appendChild(li);
        }
      });
    }

    function search() {
      var mine = ++sequence;
      var query = input.value.trim();
      if (!query) {
        list.innerHTML = "";
        say(words["search.result.placeholder"] || "键入以开始搜索");
        return;
      }
      load("index.js").then(function () {
        if (mine !== sequence) return;
        var terms = parse(query);
        if (!terms.length) {
          list.innerHTML = "";
          say("请至少输入两个字或字母");
          panel.setAttribute("data-kp-searched", query);
          return;
        }
        var needed = {};
        terms.forEach(function (t) { t.pairs.forEach(function (p) { needed[shardOf(p[1])] = true; }); });
        return Promise.all(Object.keys(needed).map(function (n) { return load("t/" + n + ".js"); })).then(function () {
          if (mine !== sequence) return;
          var ranked = rank(terms);
          current = ranked.results.sort(better);
          return rows(current.slice(0, SHOWN)).then(function (found) {
            if (mine !== sequence) return;
            // Among the first: how much of the title the query covers, now that the titles are known.
            found.forEach(function (row, i) {
              var r = current[i];
              var covered = r.hits.filter(function (h) { return h[0] < manifest.names; });
              if (covered.length) r.score += Math.round(10 * covered[0][1] / Math.max(1, Array.from(row[1]).length));
            });
            var head = current.slice(0, SHOWN).sort(better);
            current = head.concat(current.slice(SHOWN));
            list.innerHTML = "";
            shown = 0;
            if (!current.length) say(words["search.result.none"] || "没有找到符合条件的结果");
            else say(ranked.partial ? partly(current.length, terms, ranked.absent) : count(current.length));
            return showMore(mine).then(function () {
              // The query whose results are shown (what a test or a screen reader can wait for).
              if (mine === sequence) panel.setAttribute("data-kp-searched", query);
            });
          });
        });
      }).catch(function () {
        if (mine === sequence) say("搜索索引没有加载成功：请检查网站是否完整（search/kaoping/ 目录）。");
      });
    }

    var timer = null;
    function later() {
      open(true);
      clearTimeout(timer);
      timer = setTimeout(search, 60);
    }
    // While an input method composes (pinyin letters), wait for the characters it commits.
    input.addEventListener("input", function (event) { if (!event.isComposing) later(); });
    input.addEventListener("compositionend", later);
    input.addEventListener("focus", function () { open(true); });
    panel.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a.md-search-result__link");
      if (first) first.click();
    });
    panel.querySelector("form").addEventListener("reset", function () {
      setTimeout(function () { search(); input.focus(); }, 0);
    });
    panel.addEventListener("click", function (event) {
      if (event.target instanceof Element && event.target.closest("a")) open(false);
    });
    document.addEventListener("keydown", function (event) {
      if (!toggle || !toggle.checked) {
        if ((event.key === "/" || event.key === "s") && !(event.target instanceof HTMLInputElement) &&
            !(event.target instanceof HTMLTextAreaElement) && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          open(true);
          input.focus();
        }
        return;
      }
      var links = [input].concat(Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link, button")));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        open(false);
        input.blur();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = Math.max(0, Math.min(links.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)));
        links[next].focus();
      }
    });
    var header = document.querySelector("header label[for=__search]");
    if (header) header.addEventListener("click", function () { setTimeout(function () { input.focus(); }, 0); });
    say(words["search.result.placeholder"] || "键入以开始搜索");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
