/* The outline's multi-selection: click, Ctrl/⌘-click, Shift-click, Shift+↑/↓, Ctrl+A, Escape; moves
 * (Alt+arrows, drag) and Delete of the whole selection, each one request (one undo step).
 *
 * The *primary* item is the one the inspector shows (editor.js's #selected-key, sent with every
 * write); the selection is a set of keys around it. A plain click or Enter makes both that one item;
 * Ctrl/⌘-click toggles an item without changing the primary. Each selected row carries
 * aria-selected="true" (the tree is aria-multiselectable) and the class is-selected.
 *
 * Interface for the editor's other modules (see /work/wt/SELECT.md and designer/outline/__init__.py):
 * window.PD.selection = { keys, topKeys, count, has, clear, set, onChange, primary, dropped }.
 */
(function () {
  "use strict";

  var selected = new Set();
  var anchor = null;       // where a Shift-range starts
  var lastPrimary = null;  // the primary key editor.js last showed
  var listeners = [];

  function ed() { return window.pdEditor; }
  function form() { return document.getElementById("outline-form"); }
  function itemOf(key) { return key ? document.getElementById("node-" + key) : null; }
  function allItems() { return document.querySelectorAll('#outline-form [role="treeitem"]'); }

  // The selected keys in document order.
  function keys() {
    if (!selected.size) return [];
    var out = [];
    allItems().forEach(function (li) { if (selected.has(li.dataset.key)) out.push(li.dataset.key); });
    return out;
  }

  // The selected keys not inside another selected item: what a move, delete or copy acts on.
  function topKeys() {
    return keys().filter(function (key) {
      var parent = itemOf(key).parentElement.closest('[role="treeitem"]');
      while (parent) {
        if (selected.has(parent.dataset.key)) return false;
        parent = parent.parentElement.closest('[role="treeitem"]');
      }
      return true;
    });
  }

  function paint() {
    document.querySelectorAll('#outline-form [role="treeitem"][aria-selected="true"], #outline-form li.is-selected').forEach(function (li) {
      if (selected.has(li.dataset.key)) return;
      li.setAttribute("aria-selected", "false");
      li.classList.remove("is-selected");
    });
    selected.forEach(function (key) {
      var li = itemOf(key);
      if (!li) return;
      li.setAttribute("aria-selected", "true");
      li.classList.add("is-selected");
    });
    var status = document.getElementById("selection-status");
    var count = selected.size;
    if (status) {
      var text = count > 1 ? count + " items selected" : "";
      if (status.textContent !== text) status.textContent = text;
    }
    document.querySelectorAll("[data-needs-selection]").forEach(function (el) { el.hidden = count < 2; });
  }

  function changed() {
    paint();
    var list = keys();
    listeners.slice().forEach(function (fn) { try { fn(list); } catch (e) { if (window.console) console.error(e); } });
    document.dispatchEvent(new CustomEvent("pd:selection", { detail: { keys: list } }));
  }

  function setKeys(list) {
    selected = new Set((list || []).filter(function (key) { return itemOf(key); }));
    changed();
  }

  function clear() {
    if (!selected.size) return;
    selected = new Set();
    anchor = null;
    changed();
  }

  // editor.js calls this after showing ``key`` as the primary item: a new primary starts a new
  // selection of that one item; the same one (an answer to a write) keeps the selection as it is.
  function primary(key) {
    if (key !== lastPrimary) {
      lastPrimary = key;
      anchor = key || null;
      selected = new Set(itemOf(key) ? [key] : []);
      changed();
    } else {
      paint();
    }
  }

  // A range of the visible items between the anchor and ``li``, inclusive.
  function selectRange(li) {
    var items = ed().visibleItems();
    var from = items.indexOf(itemOf(anchor));
    var to = items.indexOf(li);
    if (from < 0) { anchor = li.dataset.key; from = to; }
    var lo = Math.min(from, to), hi = Math.max(from, to);
    selected = new Set(items.slice(lo, hi + 1).map(function (el) { return el.dataset.key; }));
    changed();
  }

  function toggle(li) {
    var key = li.dataset.key;
    if (selected.has(key)) selected.delete(key); else selected.add(key);
    anchor = key;
    changed();
  }

  function canWrite() { return ed() && ed().editable(); }

  // The item the keyboard was on when the selection moved: a large move is answered with the whole
  // workspace (not a patch), after which the keyboard goes back to it.
  var pendingFocus = null;

  function moveSelection(li, direction) {
    var key = pendingFocus = li.dataset.key;
    ed().write(ed().nodeBase() + "move-many/", {
      keys: topKeys().join(" "),
      direction: direction,
      focus: li.dataset.key,
      selected: document.getElementById("selected-key").value,
    }).then(function () { if (pendingFocus === key) pendingFocus = null; });
  }

  function deleteSelection(li) {
    var list = selected.size && (!li || selected.has(li.dataset.key)) ? topKeys() : (li ? [li.dataset.key] : []);
    if (!list.length || !canWrite()) return;
    var only = list.length === 1 && itemOf(list[0]);
    var label = only ? "“" + only.querySelector(":scope > .row .label").textContent + "”" : list.length + " items";
    var inside = list.reduce(function (n, key) { return n + itemOf(key).querySelectorAll('[role="treeitem"]').length; }, 0);
    var question = "Delete " + label + (inside ? " and the " + inside + " item" + (inside === 1 ? "" : "s") + " inside" : "") + "? You can undo this.";
    if (!window.confirm(question)) return;
    ed().write(ed().nodeBase() + "delete-many/", {
      keys: list.join(" "),
      selected: document.getElementById("selected-key").value,
    }).then(function () {
      // The deleted rows (or the now hidden "Delete selected") had the keyboard: the outline gets it back.
      var active = document.activeElement;
      if (active && active !== document.body && active.offsetParent !== null) return;
      var stop = itemOf(lastPrimary) || document.querySelector('#outline-form [role="treeitem"][tabindex="0"]') ||
        document.querySelector('#outline-form [role="treeitem"]');
      if (stop) ed().focusItem(stop);
    });
  }

  // After a Ctrl-click or a Shift-range left one item selected, the inspector shows that item.
  function showOne() {
    if (selected.size !== 1) return;
    var only = selected.values().next().value;
    if (only !== lastPrimary) ed().select(only, {});
  }

  // Called by editor.js when SortableJS dropped an item: a selected item dragged with others selected
  // takes them along (one request); answer whether it did.
  function dropped(event) {
    var key = event.item.dataset.key;
    var tops = topKeys();
    if (tops.length < 2 || tops.indexOf(key) < 0 || !canWrite()) return false;
    var position = 0;
    for (var el = event.item.previousElementSibling; el; el = el.previousElementSibling) {
      if (el.matches("li.node") && !selected.has(el.dataset.key)) position += 1;
    }
    ed().write(ed().nodeBase() + "move-many/", {
      keys: tops.join(" "),
      parent: event.to.dataset.key,
      position: position,
      focus: key,
      selected: document.getElementById("selected-key").value,
    });
    return true;
  }

  function onClick(event) {
    var row = event.target.closest("#outline-form .row");
    if (!row || event.target.closest(".handle, .comment-marker, .toggle")) return;
    var li = row.closest('[role="treeitem"]');
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();  // not the link's "open in a new tab"
      event.stopPropagation();
      toggle(li);
      ed().focusItem(li);
      showOne();
    } else if (event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      if (!anchor) anchor = lastPrimary;
      selectRange(li);
      ed().focusItem(li);
      showOne();
    } else {
      anchor = li.dataset.key;
      selected = new Set([li.dataset.key]);
      changed();  // editor.js then selects it (the inspector)
    }
  }

  function onKeydown(event) {
    var li = event.target.closest && event.target.closest('#outline-form [role="treeitem"]');
    if (!li || event.target !== li) return;
    var key = event.key;
    var ctrl = event.ctrlKey || event.metaKey;
    var handled = true;
    if (event.altKey && !ctrl && !event.shiftKey) {
      var direction = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "indent", ArrowLeft: "outdent" }[key];
      // One item: editor.js moves it (its own request); several: one request for all of them.
      if (!direction || topKeys().length < 2 || !selected.has(li.dataset.key)) return;
      if (canWrite()) moveSelection(li, direction);
    } else if (event.shiftKey && !ctrl && (key === "ArrowDown" || key === "ArrowUp")) {
      var items = ed().visibleItems();
      var next = items[items.indexOf(li) + (key === "ArrowDown" ? 1 : -1)];
      if (!anchor || !itemOf(anchor)) anchor = li.dataset.key;
      if (!selected.size) selected.add(li.dataset.key);
      if (next) { selectRange(next); ed().focusItem(next); }
    } else if (ctrl && !event.shiftKey && (key === "a" || key === "A")) {
      selected = new Set(ed().visibleItems().map(function (el) { return el.dataset.key; }));
      changed();
    } else if (ctrl && key === " ") {
      toggle(li);
    } else if (key === "Escape" && !ctrl && selected.size) {
      clear();
    } else if (key === "Delete" && !ctrl && !event.shiftKey) {
      deleteSelection(li);
    } else if ((key === "Enter" || key === " ") && !ctrl && !event.shiftKey) {
      anchor = li.dataset.key;
      selected = new Set([li.dataset.key]);
      changed();
      handled = false;  // editor.js selects it
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }

  // Rows were replaced (a patch or the whole workspace): forget what is gone, show the rest.
  function onOutlineChanged() {
    var before = selected.size;
    selected.forEach(function (key) { if (!itemOf(key)) selected.delete(key); });
    if (selected.size !== before) changed(); else paint();
    var moved = pendingFocus && itemOf(pendingFocus);
    if (moved && (document.activeElement === document.body || !document.activeElement)) {
      ed().reveal(moved);
      ed().focusItem(moved);
    }
  }

  function start() {
    if (!form() || !ed()) return;
    document.addEventListener("click", onClick, true);  // before editor.js's own (bubbling) click
    document.addEventListener("keydown", onKeydown, true);
    document.addEventListener("pd:outlineChanged", onOutlineChanged);
    var remove = document.getElementById("selection-delete");
    if (remove) remove.addEventListener("click", function () { deleteSelection(null); });
    var reset = document.getElementById("selection-clear");
    if (reset) reset.addEventListener("click", clear);
    lastPrimary = document.getElementById("selected-key").value || "";
    var first = itemOf(lastPrimary);
    if (first) selected.add(lastPrimary);
    paint();
  }

  window.PD = window.PD || {};
  window.PD.selection = {
    keys: keys,
    topKeys: topKeys,
    count: function () { return selected.size; },
    has: function (key) { return selected.has(key); },
    clear: clear,
    set: setKeys,
    onChange: function (fn) {
      listeners.push(fn);
      return function () { listeners = listeners.filter(function (f) { return f !== fn; }); };
    },
    primary: primary,
    dropped: dropped,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
