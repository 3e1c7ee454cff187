/* Copy, cut and paste of outline items (Ctrl+C / Ctrl+X / Ctrl+V and the toolbar's buttons), and
 * the bulk-edit inspector for a selection of several jobs.
 *
 * The clipboard carries Workiva Process JSON ({"children": [...]}) built by the server
 * (designer/services/clipboard.py), so it pastes into another draft, another tab or a text editor.
 * Pasting sends the text to the server, which checks it like an import: bad input is refused with a
 * message, nothing written. Paste, cut and bulk edit go through the editor's write queue
 * (window.pdEditor.write) and are answered like any edit; each is one undo step.
 * The selection is window.PD.selection when multi-select is there, else the selected item.
 * Text from the clipboard is only ever sent to the server or put in a textarea's value: never HTML.
 */
(function () {
  "use strict";

  function form() { return document.getElementById("outline-form"); }
  function draftBase() { return form().dataset.nodeBase.replace(/nodes\/$/, ""); }
  function selectedKey() { var s = document.getElementById("selected-key"); return s ? s.value : ""; }
  function multi() { return window.PD && window.PD.selection; }

  function selectedKeys() {
    var selection = multi();
    if (selection && selection.count() > 0) return selection.topKeys ? selection.topKeys() : selection.keys();
    return selectedKey() ? [selectedKey()] : [];
  }

  // Where a paste goes: after the focused item, else after the selected one, else at the end.
  function anchorKey() {
    var active = document.activeElement;
    var li = active && active.closest && active.closest('#outline-form [role="treeitem"]');
    return li ? li.dataset.key : selectedKey();
  }

  function say(text, isError) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var p = document.createElement("p");
    p.className = isError ? "alert alert-error" : "alert alert-ok";
    if (isError) p.setAttribute("role", "alert");
    p.textContent = text;
    flash.replaceChildren(p);
  }

  function writeText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("aria-hidden", "true");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(cut) {
    var keys = selectedKeys();
    if (!keys.length) { say("Select the items to copy first.", true); return; }
    var url = draftBase() + "clipboard/?keys=" + encodeURIComponent(keys.join(" "));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, text: text }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          var message = "Nothing was copied.";
          try { message = JSON.parse(answer.text).error || message; } catch (e) { /* not JSON */ }
          say(message, true);
          return;
        }
        return writeText(answer.text).then(function () {
          var what = keys.length === 1 ? "1 item" : keys.length + " items";
          say((cut ? "Cut " : "Copied ") + what + " as Process JSON.");
          if (cut) remove(keys);
        }, function () { say("The browser did not let the page use the clipboard.", true); });
      })
      .catch(function () { say("Nothing was copied: the server did not answer.", true); });
  }

  function remove(keys) {
    var editor = window.pdEditor;
    var base = form().dataset.nodeBase;
    if (keys.length > 1) editor.write(base + "delete-many/", { keys: keys.join(" "), selected: selectedKey() });
    else editor.write(base + keys[0] + "/delete/", { selected: selectedKey() });
  }

  function paste(text) {
    var editor = window.pdEditor;
    if (!editor || !editor.editable()) return;
    if (!text || !text.trim()) { say("The clipboard is empty: copy items first.", true); return; }
    editor.write(draftBase() + "paste/", { data: text, after: anchorKey(), selected: selectedKey() });
  }

  // The Paste button: the clipboard when the browser lets the page read it, else a box to paste into.
  function pasteFromButton() {
    if (navigator.clipboard && navigator.clipboard.readText) {
      navigator.clipboard.readText().then(paste, openPasteDialog);
    } else openPasteDialog();
  }

  function openPasteDialog() {
    var dialog = document.getElementById("paste-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "paste-dialog";
      dialog.className = "paste-dialog";
      dialog.setAttribute("aria-labelledby", "paste-dialog-h");
      var heading = document.createElement("h2");
      heading.id = "paste-dialog-h";
      heading.textContent = "Paste Process JSON";
      var label = document.createElement("label");
      label.htmlFor = "paste-dialog-text";
      label.textContent = "Paste the copied items here (Ctrl+V):";
      var area = document.createElement("textarea");
      area.id = "paste-dialog-text";
      var row = document.createElement("div");
      row.className = "tool-row";
      var ok = document.createElement("button");
      ok.type = "button";
      ok.className = "primary";
      ok.textContent = "Paste";
      ok.addEventListener("click", function () { dialog.close(); paste(area.value); });
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "secondary";
      cancel.textContent = "Cancel";
      cancel.addEventListener("click", function () { dialog.close(); });
      row.append(ok, cancel);
      dialog.append(heading, label, area, row);
      document.body.appendChild(dialog);
    }
    dialog.querySelector("textarea").value = "";
    dialog.showModal();
    dialog.querySelector("textarea").focus();
  }

  function inTextField(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable='true'], dialog");
  }

  function onKeydown(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || inTextField(event.target)) return;
    var key = event.key.toLowerCase();
    if (key !== "c" && key !== "x") return;
    if (String(window.getSelection ? window.getSelection() : "")) return;  // copying text on the page
    if (!window.pdEditor || (key === "x" && !window.pdEditor.editable())) return;
    event.preventDefault();
    copy(key === "x");
  }

  // Ctrl+V: the paste event carries the clipboard's text without asking the browser for permission.
  function onPaste(event) {
    if (inTextField(event.target) || !window.pdEditor || !window.pdEditor.editable()) return;
    var text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    event.preventDefault();
    paste(text);
  }

  function onClick(event) {
    var button = event.target.closest && event.target.closest("[data-clipboard]");
    if (!button) return;
    var action = button.dataset.clipboard;
    if (action === "paste") pasteFromButton(); else copy(action === "cut");
  }

  // --- bulk edit: the inspector for several selected items -------------------------------------

  function showBulk(keys) {
    if (!keys || keys.length < 2) return;
    var url = draftBase() + "bulk/?keys=" + encodeURIComponent(keys.join(" "));
    window.pdEditor.loadInspector(url);  // the newest selection's inspector wins (editor.js)
  }

  function onSubmit(event) {
    var bulk = event.target.closest && event.target.closest("form[data-bulk]");
    if (!bulk) return;
    event.preventDefault();
    var values = {};
    new FormData(bulk).forEach(function (value, name) { if (name !== "version" && name !== "csrfmiddlewaretoken") values[name] = value; });
    values.selected = selectedKey();
    var keys = values.keys.split(" ");
    window.pdEditor.write(bulk.getAttribute("action"), values).then(function (status) {
      if (status === 200) showBulk(keys);
    });
  }

  function start() {
    if (!form()) return;
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("paste", onPaste);
    document.addEventListener("click", onClick);
    document.addEventListener("submit", onSubmit);
    // Multi-select (static/js/selection.js) says when the selection changes.
    document.addEventListener("pd:selection", function (event) {
      var keys = (event.detail && event.detail.keys) || [];
      if (keys.length > 1) { showBulk(keys); return; }
      // Back to one item (or none) while the bulk inspector shows: the single item's inspector again.
      if (!document.querySelector("#inspector[data-bulk-keys]")) return;
      var key = keys[0] || selectedKey();
      if (!key) return;
      window.pdEditor.select(key);
    });
  }

  window.pdClipboard = { copy: copy, paste: paste, showBulk: showBulk };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
