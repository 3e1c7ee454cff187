/* The outline's tools: collapse / expand all, the keyboard shortcut sheet (?), and the keys that reach
 * the search from anywhere in the editor (/ and Ctrl/⌘+F). Collapsed groups are remembered where
 * editor.js keeps them (localStorage, per draft).
 */
(function () {
  "use strict";

  function ed() { return window.pdEditor; }
  function $(id) { return document.getElementById(id); }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function setAll(expanded) {
    var groups = document.querySelectorAll("#outline-form li.group");
    var keys = [];
    groups.forEach(function (li) {
      li.setAttribute("aria-expanded", expanded ? "true" : "false");
      keys.push(li.dataset.key);
    });
    try { localStorage.setItem(ed().storageKey(), JSON.stringify(expanded ? [] : keys)); } catch (e) { /* private mode */ }
    // The outline's tab stop must stay on a row that shows: the top-level item holding it.
    var stop = document.querySelector('#outline-form [role="treeitem"][tabindex="0"]');
    if (stop && !expanded) {
      var top = stop;
      for (var up = stop.parentElement.closest('[role="treeitem"]'); up; up = up.parentElement.closest('[role="treeitem"]')) top = up;
      stop.tabIndex = -1;
      top.tabIndex = 0;
    }
  }

  var opener = null;
  function openSheet() {
    var dialog = $("shortcuts");
    if (!dialog || dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();
    $("shortcuts-close").focus();
  }

  function onKeydown(event) {
    var dialog = $("shortcuts");
    if (dialog && dialog.open) return;  // the dialog's own keys (Escape closes it)
    var ctrl = event.ctrlKey || event.metaKey;
    var inEditor = event.target === document.body || (event.target.closest && event.target.closest(".editor"));
    if (!inEditor) return;
    if (ctrl && !event.altKey && !event.shiftKey && (event.key === "f" || event.key === "F")) {
      event.preventDefault();
      $("outline-search").focus();
      $("outline-search").select();
    } else if (typing(event.target) || ctrl || event.altKey) {
      return;
    } else if (event.key === "/") {
      event.preventDefault();
      $("outline-search").focus();
      $("outline-search").select();
    } else if (event.key === "?") {
      event.preventDefault();
      openSheet();
    }
  }

  function start() {
    if (!$("outline-form") || !ed()) return;
    document.addEventListener("keydown", onKeydown);
    $("expand-all").addEventListener("click", function () { setAll(true); });
    $("collapse-all").addEventListener("click", function () { setAll(false); });
    $("shortcuts-open").addEventListener("click", openSheet);
    $("shortcuts-close").addEventListener("click", function () { $("shortcuts").close(); });
    $("shortcuts").addEventListener("close", function () {
      if (opener && document.body.contains(opener)) opener.focus();
      opener = null;
    });
    // A click on the backdrop (outside the sheet's box) closes it too.
    $("shortcuts").addEventListener("click", function (event) {
      if (event.target === event.currentTarget) event.currentTarget.close();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
