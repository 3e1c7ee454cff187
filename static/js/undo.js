/* Undo and redo in the editor: the toolbar's Undo / Redo buttons and Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y.
 *
 * The server keeps each user's operations (designer/services/operations.py), so undo survives a
 * reload and undoes only this user's edits. A request goes through the editor's write queue
 * (window.pdEditor.write), after any write still on its way, with the version that one answered.
 * The answer is an outline patch like any edit's (it also brings the toolbar's new tooltips), or
 * the whole workspace with the reason when the server refused (someone else changed the same items).
 */
(function () {
  "use strict";

  function bar() { return document.getElementById("undo-bar"); }

  function send(action) {
    var editor = window.pdEditor;
    var form = bar() && bar().querySelector('form[data-undo="' + action + '"]');
    if (!editor || !form || !editor.editable()) return false;
    var button = form.querySelector("button");
    if (button && button.disabled) return false;
    var selected = document.getElementById("selected-key");
    editor.write(form.getAttribute("action"), { selected: selected ? selected.value : "" });
    return true;
  }

  // Text fields keep the browser's own undo of typing; everywhere else in the editor the keys undo edits.
  function inTextField(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable='true']");
  }

  function onKeydown(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || inTextField(event.target)) return;
    var key = event.key.toLowerCase();
    var action = key === "z" ? (event.shiftKey ? "redo" : "undo") : key === "y" && !event.shiftKey ? "redo" : "";
    if (!action || !document.getElementById("outline-form")) return;
    event.preventDefault();
    send(action);
  }

  function onSubmit(event) {
    var form = event.target.closest && event.target.closest("#undo-bar form[data-undo]");
    if (!form) return;
    event.preventDefault();
    send(form.dataset.undo);
  }

  function start() {
    if (!document.getElementById("outline-form")) return;
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("submit", onSubmit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
