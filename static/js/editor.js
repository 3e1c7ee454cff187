/* The outline editor: drag and drop (SortableJS), keyboard moves, selection, collapsed groups.
 *
 * Every change goes to the server, which answers with the authoritative workspace; this file only
 * wires events. Node labels come from the server-rendered DOM and are never written as HTML.
 */
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var focusAfterSwap = false;

  function workspace() { return document.getElementById("workspace"); }
  function editable() { var ws = workspace(); return ws && ws.dataset.editable === "true"; }
  function draftId() { return document.querySelector(".editor").dataset.draft; }
  function nodeBase() { return document.getElementById("outline-form").dataset.nodeBase; }
  function storageKey() { return "pd:collapsed:" + draftId(); }

  function collapsedSet() {
    try { return new Set(JSON.parse(localStorage.getItem(storageKey()) || "[]")); } catch (e) { return new Set(); }
  }
  function saveCollapsed(set) {
    try { localStorage.setItem(storageKey(), JSON.stringify(Array.from(set))); } catch (e) { /* private mode */ }
  }
  function setExpanded(li, expanded) {
    li.setAttribute("aria-expanded", expanded ? "true" : "false");
    var set = collapsedSet();
    if (expanded) set.delete(li.dataset.key); else set.add(li.dataset.key);
    saveCollapsed(set);
  }
  function applyCollapsed(root) {
    var set = collapsedSet();
    if (!set.size) return;
    root.querySelectorAll("li.group").forEach(function (li) {
      if (set.has(li.dataset.key)) li.setAttribute("aria-expanded", "false");
    });
  }

  function visibleItems() {
    return Array.prototype.filter.call(document.querySelectorAll('#outline-form [role="treeitem"]'), function (li) {
      var parent = li.parentElement.closest('[role="treeitem"]');
      while (parent) {
        if (parent.getAttribute("aria-expanded") === "false") return false;
        parent = parent.parentElement.closest('[role="treeitem"]');
      }
      return true;
    });
  }

  function focusItem(li) {
    document.querySelectorAll('#outline-form [role="treeitem"][tabindex="0"]').forEach(function (el) { el.tabIndex = -1; });
    li.tabIndex = 0;
    li.focus();
  }

  function revealItem(li) {
    var parent = li.parentElement.closest('[role="treeitem"]');
    while (parent) {
      if (parent.getAttribute("aria-expanded") === "false") setExpanded(parent, true);
      parent = parent.parentElement.closest('[role="treeitem"]');
    }
  }

  function select(key, options) {
    options = options || {};
    document.getElementById("selected-key").value = key;
    document.querySelectorAll("#outline-form .is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
      if (el.hasAttribute("aria-selected")) el.setAttribute("aria-selected", "false");
    });
    var li = document.getElementById("node-" + key);
    if (li) {
      li.classList.add("is-selected");
      li.setAttribute("aria-selected", "true");
      revealItem(li);
      if (options.scroll) li.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
      if (options.focus) focusItem(li);
    } else {
      var rootRow = document.querySelector("#outline-form .root-row");
      if (rootRow) rootRow.classList.add("is-selected");
    }
    htmx.ajax("GET", nodeBase() + key + "/", { target: "#inspector", swap: "outerHTML" }).then(function () {
      // On narrow screens the inspector sits below the outline: bring it into view.
      if (options.showInspector && window.matchMedia("(max-width: 760px)").matches) {
        var inspector = document.getElementById("inspector");
        if (inspector) inspector.scrollIntoView({ block: "start" });
      }
    });
    if (history.replaceState) history.replaceState(null, "", "?node=" + key);
  }

  function move(li, direction) {
    if (!editable()) return;
    focusAfterSwap = true;
    htmx.ajax("POST", nodeBase() + li.dataset.key + "/move/", {
      source: document.getElementById("selected-key"),
      target: "#workspace",
      swap: "outerHTML",
      values: { direction: direction, version: workspace().dataset.version, selected: li.dataset.key },
    });
  }

  function onKeydown(event) {
    var li = event.target.closest('[role="treeitem"]');
    if (!li || event.target !== li) return;
    var items = visibleItems();
    var index = items.indexOf(li);
    var isGroup = li.classList.contains("group");
    var expanded = li.getAttribute("aria-expanded") !== "false";
    var key = event.key;
    if (event.altKey) {
      var direction = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "indent", ArrowLeft: "outdent" }[key];
      if (direction) { event.preventDefault(); move(li, direction); }
      return;
    }
    if (key === "ArrowDown" && index < items.length - 1) focusItem(items[index + 1]);
    else if (key === "ArrowUp" && index > 0) focusItem(items[index - 1]);
    else if (key === "Home") focusItem(items[0]);
    else if (key === "End") focusItem(items[items.length - 1]);
    else if (key === "ArrowRight" && isGroup) {
      if (!expanded) setExpanded(li, true);
      else { var child = li.querySelector('[role="treeitem"]'); if (child) focusItem(child); }
    } else if (key === "ArrowLeft") {
      if (isGroup && expanded) setExpanded(li, false);
      else { var parent = li.parentElement.closest('[role="treeitem"]'); if (parent) focusItem(parent); }
    } else if (key === "Enter" || key === " ") select(li.dataset.key, { focus: true });
    else return;
    event.preventDefault();
  }

  function onClick(event) {
    var problem = event.target.closest("[data-problem-key]");
    if (problem) {
      event.preventDefault();
      select(problem.dataset.problemKey, { scroll: true, focus: true });
      return;
    }
    var toggle = event.target.closest("#outline-form .toggle");
    if (toggle) {
      var group = toggle.closest("li.group");
      setExpanded(group, group.getAttribute("aria-expanded") === "false");
      return;
    }
    var rootLabel = event.target.closest("#outline-form .root-row .label");
    if (rootLabel) { event.preventDefault(); select(rootLabel.dataset.key); return; }
    var row = event.target.closest("#outline-form .row");
    // The handle drags and the comment marker is a link to the node's comments: neither selects.
    if (row && !event.target.closest(".handle, .comment-marker")) {
      event.preventDefault();
      var item = row.closest('[role="treeitem"]');
      select(item.dataset.key, { focus: true, showInspector: true });
    }
  }

  function initSortables(root) {
    if (typeof Sortable === "undefined" || !editable()) return;
    var lists = root.querySelectorAll ? root.querySelectorAll("#outline-form ul.children") : [];
    lists.forEach(function (list) {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: "outline",
        handle: ".handle",
        draggable: "li.node",
        fallbackOnBody: true,
        forceFallback: true,
        swapThreshold: 0.65,
        animation: reducedMotion.matches ? 0 : 150,
        ghostClass: "drag-ghost",
        chosenClass: "drag-chosen",
        onStart: function () { document.body.classList.add("dragging"); },
        onEnd: function () { document.body.classList.remove("dragging"); },
      });
    });
  }

  function afterSwap(root) {
    if (!document.getElementById("outline-form")) return;
    applyCollapsed(document);
    initSortables(document);
    var form = document.getElementById("outline-form");
    var items = document.querySelectorAll('#outline-form [role="treeitem"]');
    if (!items.length) return;
    var focusKey = form.dataset.focus;
    var target = (focusKey && document.getElementById("node-" + focusKey)) || items[0];
    target.tabIndex = 0;
    if (focusAfterSwap && focusKey) {
      focusAfterSwap = false;
      revealItem(target);
      focusItem(target);
    }
  }

  function start() {
    if (!document.getElementById("outline-form")) return;
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", onClick);
    htmx.onLoad(afterSwap);
    var focusKey = document.getElementById("outline-form").dataset.focus;
    if (focusKey) {
      var li = document.getElementById("node-" + focusKey);
      if (li) { revealItem(li); li.scrollIntoView({ block: "center" }); }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
