/* The editor's forms saved field by field (the inspector, the process settings), and the other
 * editor forms sent through the editor's write queue (window.pdEditor, set by editor.js, which
 * loads first). Markup and attributes: designer/outline/__init__.py ("Page").
 */
(function () {
  "use strict";

  var editor = window.pdEditor;
  if (!editor || !document.getElementById("outline-form")) return;

  // --- Fields saved as the user leaves them ---------------------------------------------------------
  // A form marked data-autosave (the inspector, the process settings) is posted on every field
  // change, through the write queue, with autosave=1: the answer updates the outline but leaves the
  // form alone (the user may be typing in the next field). Each field shows its state beside it
  // (p[data-save-state="<name>"]): Saving…, Saved, or Not saved with the reason. The form posts the
  // values it was rendered with (hidden initial-<name> inputs, see designer/forms.py BasedForm), so
  // only what the user changed is written; after a save they become the saved values.
  function fieldValues(form, name) {
    var inputs = Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
    if (inputs.length === 1 && inputs[0].type === "checkbox") return [inputs[0].checked ? "True" : "False"];
    return inputs.filter(function (el) { return el.type !== "checkbox" || el.checked; }).map(function (el) { return el.value; });
  }

  function baseValues(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === "initial-" + name; })
      .map(function (el) { return el.value; });
  }

  function fieldNames(form) {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && form.querySelector('[data-save-state="' + el.name + '"]') && names.indexOf(el.name) < 0) names.push(el.name);
    });
    return names;
  }

  function changedFields(form) {
    return fieldNames(form).filter(function (name) {
      return fieldValues(form, name).join("\n") !== baseValues(form, name).join("\n");
    });
  }

  function setSaveState(form, name, state, text) {
    var box = form.querySelector('[data-save-state="' + name + '"]');
    if (!box) return;
    box.className = "save-state save-" + state;
    box.textContent = text;
  }

  // After a save, the values sent are the new base (hidden inputs made with createElement, not HTML).
  function rebase(form, sent) {
    Object.keys(sent).forEach(function (name) {
      var old = Array.prototype.filter.call(form.elements, function (el) { return el.name === "initial-" + name; });
      var anchor = old.length ? old[0] : null;
      sent[name].forEach(function (value) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "initial-" + name;
        input.value = value;
        if (anchor) anchor.before(input); else form.appendChild(input);
      });
      old.forEach(function (el) { el.remove(); });
    });
  }

  function formValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name in values) values[name] = [].concat(values[name], value); else values[name] = value;
    });
    return values;
  }

  function autosave(form) {
    var names = changedFields(form);
    if (!names.length) return;
    var sent = {};
    names.forEach(function (name) { sent[name] = fieldValues(form, name); setSaveState(form, name, "saving", "Saving…"); });
    var values = formValues(form);
    values.autosave = "1";
    values.selected = document.getElementById("selected-key").value;
    form._saving = (form._saving || 0) + 1;
    editor.write(form.getAttribute("action"), values, form).then(function (status) {
      form._saving -= 1;
      if (!document.body.contains(form)) return;  // refused: the workspace was re-rendered with the user's values
      if (status >= 200 && status < 300) {
        rebase(form, sent);
        names.forEach(function (name) {
          if (fieldValues(form, name).join("\n") === sent[name].join("\n")) setSaveState(form, name, "saved", "Saved");
        });
      } else if (status !== 422) {
        names.forEach(function (name) { setSaveState(form, name, "failed", "Not saved: the server did not accept it. Try again."); });
      }
    });
  }

  function onNotSaved(event) {
    var fields = (event.detail && event.detail.fields) || {};
    Object.keys(fields).forEach(function (name) {
      var holder = document.querySelector('form[data-autosave] [data-save-state="' + name + '"]');
      if (holder) setSaveState(holder.closest("form"), name, "failed", "Not saved: " + fields[name].join(" "));
    });
  }

  function onChange(event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form && editor.editable() && event.target.name) autosave(form);
  }

  // The editor's forms (the inspector's, the add bar, Undo, the autosaved forms' Save button or
  // Enter) send through the same queue, after any write still waiting, so two writes never race
  // for the version, and from the write channel, so a swap of the inspector while one is on its way
  // does not lose its answer. A Save answer re-renders the inspector.
  var QUEUED_FORMS = "form[data-autosave], #inspector form[hx-post], form.add-bar[hx-post], #flash form[hx-post]";
  function onSubmit(event) {
    var form = event.target.closest && event.target.closest(QUEUED_FORMS);
    if (!form || !editor.editable()) return;
    event.preventDefault();
    event.stopPropagation();
    var values = formValues(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) values[submitter.name] = submitter.value;
    values.selected = document.getElementById("selected-key").value;
    editor.write(form.getAttribute("hx-post"), values, form);
  }

  // Leaving the page (a link, reload, closing the tab) before a changed field was sent: send it anyway.
  function onPageHide() {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (form._saving || !changedFields(form).length) return;
      var data = new FormData(form);
      data.set("version", editor.workspace().dataset.version);
      data.set("selected", document.getElementById("selected-key").value);
      navigator.sendBeacon(form.getAttribute("action"), data);
    });
  }

  document.addEventListener("change", onChange);
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("pd:notSaved", onNotSaved);
  window.addEventListener("pagehide", onPageHide);
})();
