/* Search and filter the outline, in the browser.
 *
 * The search matches names and titles, instructions, people (assignee, approver: by id and by the
 * directory's display name) and the job type, every word of the query somewhere in one item;
 * filters keep items with problems, of one job type, due after / before a date. It reads the outline's search index (designer.views.selection
 * outline_index_view: one JSON request, fetched again only when the draft's version changed) and
 * the rows' problem badges; matching is a loop over plain strings, so a keystroke at 3,000 jobs costs
 * a few milliseconds plus restyling the rows that change (bench/search.py measures it). Typing on
 * (the query grows, the filters stay) only narrows: it searches the previous matches, not the index;
 * "Show only matches" touches only the rows whose visibility changes.
 *
 * Matched rows get the class search-hit (the current one search-current) and their text is
 * highlighted with the CSS Custom Highlight API (no markup is built or changed); "Show only matches"
 * hides the rest (class search-out), keeping each match's groups. Enter / Shift+Enter step through
 * the matches, opening the groups around the one stepped to; Escape goes back to the outline on it.
 */
(function () {
  "use strict";

  var index = null;        // [{key, kind, type, due, hay}] in document order
  var loadedFor = null;    // the page's draft version the index was asked for
  var loading = null;
  var hits = [];           // matched keys, document order
  var current = -1;        // index into hits of the match stepped to, or -1
  var marked = new Set();  // keys of the rows with search-hit
  var currentRow = null;   // the row with search-current
  var filtering = false;   // rows may have search-out
  var opened = false;      // groups were opened to show matches in "only matches"
  var stats = { lastMs: 0, maxMs: 0, runs: 0, scanned: 0 };
  var previous = null;     // {query, filters, index, found: index entries matched} of the last run
  var kept = null;         // with "only matches": the keys shown (matches and their groups), else null

  function ed() { return window.pdEditor; }
  function $(id) { return document.getElementById(id); }
  function itemOf(key) { return document.getElementById("node-" + key); }
  function pageVersion() { var ws = $("workspace"); return ws ? ws.dataset.version : null; }

  function load() {
    if (loading) return loading;
    var asked = pageVersion();
    var url = $("outline-tools").dataset.indexUrl;
    loading = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        index = data.nodes.map(function (n) {
          var hay = [n.text, n.type, n.typeLabel || "", (n.assignees || []).join(" "), (n.names || []).join("\n")].join("\n");
          return { key: n.key, kind: n.kind, type: n.type, due: n.due || "", hay: hay };
        });
        loadedFor = asked;
        loading = null;
        run();
        if (pendingStep) { var direction = pendingStep; pendingStep = 0; step(direction); }
      }, function () {
        loading = null;
        setCount("Search failed");
        $("search-count").title = "The search could not load the outline; type again to retry.";
      });
    return loading;
  }

  function criteria() {
    var q = ($("outline-search").value || "").trim().toLowerCase();
    return {
      query: q,
      terms: q ? q.split(/\s+/) : [],
      problems: $("search-problems").checked,
      type: $("search-type").value,
      after: $("search-due-after").value,
      before: $("search-due-before").value,
      only: $("search-only").checked,
    };
  }

  function isActive(c) { return c.terms.length || c.problems || c.type || c.after || c.before; }

  function problemKeys() {
    var keys = new Set();
    document.querySelectorAll("#outline-form .row > .badges").forEach(function (badges) {
      keys.add(badges.parentElement.parentElement.dataset.key);
    });
    return keys;
  }

  // Matches only narrow while the query grows: "task 12" after "task 1" (each old word is the start
  // of the new word in its place, or unchanged, and words may be added) with the same filters
  // and index, so the previous matches are the only candidates.
  function matches(c) {
    var problems = c.problems ? problemKeys() : null;
    var dated = c.after || c.before;
    var filters = [c.problems, c.type, c.after, c.before].join("\n");
    var narrowing = previous && previous.index === index && previous.filters === filters &&
      previous.query && c.query.indexOf(previous.query) === 0;
    var pool = narrowing ? previous.found : index;
    var found = [];
    var out = [];
    stats.scanned = pool.length;
    for (var i = 0; i < pool.length; i++) {
      var n = pool[i];
      if (c.type && n.type !== c.type) continue;
      if (dated && (!n.due || (c.after && n.due <= c.after) || (c.before && n.due >= c.before))) continue;
      if (problems && !problems.has(n.key)) continue;
      var all = true;
      for (var t = 0; t < c.terms.length; t++) {
        if (n.hay.indexOf(c.terms[t]) < 0) { all = false; break; }
      }
      if (all) { found.push(n); out.push(n.key); }
    }
    previous = { query: c.query, filters: filters, index: index, found: found };
    return out.filter(function (key) { return itemOf(key); });
  }

  function setCount(text) {
    var count = $("search-count");
    if (count.textContent !== text) count.textContent = text;
  }

  function showCount() {
    if (!isActive(criteria())) setCount("");
    else if (!hits.length) setCount("No matches");
    else if (current < 0) setCount(hits.length + (hits.length === 1 ? " match" : " matches"));
    else setCount((current + 1) + " of " + hits.length);
    var filters = ["search-problems", "search-type", "search-due-after", "search-due-before"].filter(function (id) {
      var el = $(id);
      return el.type === "checkbox" ? el.checked : el.value;
    }).length;
    var label = filters ? " (" + filters + ")" : "";
    if ($("filter-count").textContent !== label) $("filter-count").textContent = label;
  }

  function run() {
    var started = performance.now();
    var c = criteria();
    if (!isActive(c)) { reset(); return; }
    if (!index || loadedFor !== pageVersion()) {
      load();
      if (!index) { setCount("Searching…"); return; }
    }
    var was = current >= 0 ? hits[current] : null;
    hits = matches(c);
    var t1 = performance.now();
    current = was ? hits.indexOf(was) : -1;
    var wanted = new Set(hits);
    // Only the rows whose state changed are touched (each class change costs a style recalculation).
    marked.forEach(function (key) {
      var li = !wanted.has(key) && itemOf(key);
      if (li) li.classList.remove("search-hit");
    });
    hits.forEach(function (key) { if (!marked.has(key)) itemOf(key).classList.add("search-hit"); });
    marked = wanted;
    markCurrent();
    var t2 = performance.now();
    filter(c.only ? wanted : null);
    var t3 = performance.now();
    highlightSoon(c.terms);
    var t4 = performance.now();
    showCount();
    stats.phases = { match: t1 - started, mark: t2 - t1, filter: t3 - t2, highlight: t4 - t3 };
    stats.lastMs = performance.now() - started;
    stats.maxMs = Math.max(stats.maxMs, stats.lastMs);
    stats.runs += 1;
  }

  function reset() {
    hits = [];
    current = -1;
    forget();
    filter(null);
    highlightSoon([]);
    showCount();
  }

  // Take every mark off (rows were replaced, or the search emptied).
  function forget() {
    document.querySelectorAll("#outline-form .search-hit, #outline-form .search-current").forEach(function (li) {
      li.classList.remove("search-hit", "search-current");
    });
    marked = new Set();
    currentRow = null;
  }

  // "Show only matches": hide every row that is neither a match nor a group holding one.
  function filter(wanted) {
    var form = $("outline-form");
    if (!form) return;
    if (form.classList.contains("search-filtering") !== Boolean(wanted)) form.classList.toggle("search-filtering", Boolean(wanted));
    if (!wanted) {
      kept = null;
      if (filtering) {
        filtering = false;
        form.querySelectorAll(".search-out").forEach(function (li) { li.classList.remove("search-out"); });
      }
      if (opened) {  // the groups opened for the filter close again as the user left them
        opened = false;
        form.querySelectorAll("li.group").forEach(function (li) { li.setAttribute("aria-expanded", "true"); });
        ed().applyCollapsed(document);
      }
      return;
    }
    var keep = new Set();
    wanted.forEach(function (key) {
      var li = itemOf(key);
      while (li && !keep.has(li.dataset.key)) {
        keep.add(li.dataset.key);
        li = li.parentElement.closest('[role="treeitem"]');
      }
    });
    filtering = true;
    if (kept === null) {  // the first pass (or rows were replaced): every row
      form.querySelectorAll('[role="treeitem"]').forEach(function (li) {
        var out = !keep.has(li.dataset.key);
        if (li.classList.contains("search-out") !== out) li.classList.toggle("search-out", out);
      });
    } else {  // then only the rows whose visibility changes
      kept.forEach(function (key) {
        var li = !keep.has(key) && itemOf(key);
        if (li) li.classList.add("search-out");
      });
      keep.forEach(function (key) {
        var li = !kept.has(key) && itemOf(key);
        if (li) li.classList.remove("search-out");
      });
    }
    kept = keep;
    keep.forEach(function (key) {  // the groups around a match open (shown, not remembered: see above)
      if (wanted.has(key)) return;
      var li = itemOf(key);
      if (li && li.getAttribute("aria-expanded") === "false") {
        li.setAttribute("aria-expanded", "true");
        opened = true;
      }
    });
  }

  // The highlights follow the frame that shows the matches: typing never waits for them.
  var highlightTerms = null;
  function highlightSoon(terms) {
    var waiting = highlightTerms !== null;
    highlightTerms = terms;
    if (waiting) return;
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
    idle(function () {
      var latest = highlightTerms;
      highlightTerms = null;
      highlight(latest);
    }, { timeout: 300 });
  }

  // Keystrokes arriving faster than frames are searched once, just before the next frame.
  var scheduled = false;
  function runSoon() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; run(); });
  }

  // Highlight the query's words in the matched rows' names and assignees (at most 300 rows).
  function highlight(terms) {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    if (!terms.length) { CSS.highlights.delete("pd-search"); return; }
    var ranges = [];
    hits.slice(0, 300).forEach(function (key) {
      var li = itemOf(key);
      if (!li) return;
      var row = li.firstElementChild;
      row.querySelectorAll(":scope > .label, :scope > .assignee").forEach(function (el) {
        var text = el.firstChild;
        if (!text || text.nodeType !== 3) return;
        var lower = text.data.toLowerCase();
        terms.forEach(function (term) {
          for (var at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
            var range = new Range();
            range.setStart(text, at);
            range.setEnd(text, at + term.length);
            ranges.push(range);
          }
        });
      });
    });
    CSS.highlights.set("pd-search", new Highlight(...ranges));
  }

  function markCurrent() {
    var li = (current >= 0 && itemOf(hits[current])) || null;
    if (currentRow !== li) {
      if (currentRow) currentRow.classList.remove("search-current");
      if (li) li.classList.add("search-current");
      currentRow = li;
    }
    return li;
  }

  // Step to the next (1) or previous (-1) match: open its groups, scroll to it, make it the
  // outline's tab stop (Escape or Tab then lands on it).
  var pendingStep = 0;  // a step asked for while the index was still loading: taken when it came
  function step(direction) {
    if (!hits.length) run();
    if (!index) { pendingStep = direction; return; }
    if (!hits.length) return;
    current = current < 0 ? (direction > 0 ? 0 : hits.length - 1) : (current + direction + hits.length) % hits.length;
    var li = markCurrent();
    ed().reveal(li);
    li.scrollIntoView({ block: "center" });
    document.querySelectorAll('#outline-form [role="treeitem"][tabindex="0"]').forEach(function (el) { el.tabIndex = -1; });
    li.tabIndex = 0;
    showCount();
  }

  function onSearchKey(event) {
    if (event.key === "Enter") {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      var li = (current >= 0 && itemOf(hits[current])) || document.querySelector('#outline-form [role="treeitem"][tabindex="0"]');
      if (li) { event.preventDefault(); ed().focusItem(li); }
    }
  }

  function start() {
    var box = $("outline-search");
    if (!box || !$("outline-form") || !ed()) return;
    box.addEventListener("input", runSoon);
    box.addEventListener("focus", function () { if (!index) load(); });  // ready before the first key
    box.addEventListener("keydown", onSearchKey);
    $("search-next").addEventListener("click", function () { step(1); });
    $("search-prev").addEventListener("click", function () { step(-1); });
    ["search-only", "search-problems", "search-type", "search-due-after", "search-due-before"].forEach(function (id) {
      $(id).addEventListener("change", run);
    });
    // The filters' popup closes with Escape (back on its summary) or a click elsewhere.
    var filters = $("search-filters");
    filters.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !filters.open) return;
      event.preventDefault();
      filters.open = false;
      filters.querySelector("summary").focus();
    });
    document.addEventListener("click", function (event) {
      if (filters.open && !filters.contains(event.target)) filters.open = false;
    });
    document.addEventListener("pd:outlineChanged", function () {
      kept = null;  // replaced rows came without their marks
      previous = null;
      if (!isActive(criteria())) return;
      forget();
      run();
    });
  }

  window.PD = window.PD || {};
  window.PD.search = { run: run, step: step, stats: stats, hits: function () { return hits.slice(); } };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
