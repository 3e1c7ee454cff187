/* Pickers: every input[data-picker] (designer/forms.py PickerInput: a user, a file, a section id)
 * becomes an ARIA 1.2 combobox with a listbox popup that searches the directory on the server as
 * the user types (directory/views.py: JSON {results: [{id, label, detail, suspended}], filled}).
 *
 * The original input keeps its name and becomes hidden: it holds the id the form posts. The visible
 * input (role=combobox, the original's id, so its label still names it) shows the display name.
 * Choosing an option, or leaving/Enter with text typed, sets the hidden value and fires "change" on
 * it, which static/js/fields.js saves like any other field. Text that no option matches is kept as a
 * raw id (a new hire, an offline directory) and marked unverified; the listbox offers it as its
 * last option too. Keys: ArrowDown/ArrowUp move (opening the list), Enter chooses, Escape closes
 * (a second Escape restores the saved value), Tab leaves. Options are built with textContent only.
 */
(function () {
  "use strict";

  var DELAY = 150;
  var counter = 0;

  var STATE_TEXT = {
    unknown: "Not in the directory: unverified id",
    unchecked: "Not checked: the directory is empty",
    empty: ""
  };

  function stateLine(wrapper, state, label, detail) {
    var line = wrapper.stateLine;
    if (!line) return;
    var text = STATE_TEXT[state] || "";
    if (state === "known") text = label + (detail ? " · " + detail : "");
    if (state === "suspended") text = label + " · suspended in Workiva";
    line.textContent = text;
    line.className = "picked picked-" + state;
  }

  function enhance(original) {
    if (original.dataset.pickerReady) return;
    original.dataset.pickerReady = "1";
    var n = ++counter;
    var form = original.form;
    var field = original.closest(".field") || original.parentNode;
    var input = document.createElement("input");
    var listbox = document.createElement("ul");
    var status = document.createElement("span");
    var message = document.createElement("p");
    var box = document.createElement("div");
    var listId = "picker-list-" + n;

    box.className = "picker";
    input.type = "text";
    input.id = original.id;
    original.id = original.id + "-value";
    input.className = "picker-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    ["aria-required", "aria-invalid", "maxlength", "placeholder"].forEach(function (name) {
      if (original.hasAttribute(name)) input.setAttribute(name, original.getAttribute(name));
    });
    var picked = field.querySelector('[data-picked-for="' + original.name + '"]');
    var described = (original.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (picked) described.unshift(picked.id);
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    input.disabled = original.disabled;

    listbox.id = listId;
    listbox.className = "picker-list";
    listbox.setAttribute("role", "listbox");
    var label = field.querySelector('label[for="' + input.id + '"]');
    listbox.setAttribute("aria-label", (label ? label.textContent.replace("*", "").trim() : "Choices") + " suggestions");
    listbox.hidden = true;

    message.className = "picker-message";
    message.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    var hadFocus = document.activeElement === original;
    original.type = "hidden";
    original.removeAttribute("aria-describedby");
    original.parentNode.insertBefore(box, original);
    box.appendChild(input);
    box.appendChild(listbox);
    box.appendChild(message);
    box.appendChild(status);
    box.appendChild(original);
    box.stateLine = picked;
    // Code that focuses a field by its name (the problems list's links) lands on the combobox,
    // also when it did so before this enhancement ran.
    original.focus = function () { input.focus(); };
    if (hadFocus) input.focus();

    var committed = { id: original.value, label: original.dataset.pickerLabel || original.value };
    input.value = committed.label;
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function open() {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      message.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].el.setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        var el = options[active].el;
        el.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", el.id);
        el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results, typed, note) {
      while (listbox.firstChild) listbox.removeChild(listbox.firstChild);
      options = [];
      active = -1;
      results.forEach(function (r) { options.push({ id: r.id, label: r.label, detail: r.detail, suspended: r.suspended, raw: false }); });
      var raw = typed.trim();
      var exact = results.some(function (r) { return r.id === raw; });
      if (raw && !/\s/.test(raw) && !exact) options.push({ id: raw, label: raw, detail: "", raw: true });
      options.forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = listId + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "picker-option" + (o.raw ? " picker-raw" : "") + (o.suspended ? " picker-suspended" : "");
        var main = document.createElement("span");
        main.className = "picker-label";
        main.textContent = o.raw ? "Use “" + o.label + "” as an id" : o.label;
        li.appendChild(main);
        var sub = document.createElement("span");
        sub.className = "picker-detail";
        sub.textContent = o.raw ? "not in the directory: unverified" : o.detail;
        if (sub.textContent) li.appendChild(sub);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(o); });
        o.el = li;
        listbox.appendChild(li);
      });
      if (options.length) open(); else close();
      message.textContent = note || "";
      message.hidden = !note;
      var found = results.length;
      status.textContent = found ? found + " suggestion" + (found === 1 ? "" : "s") + "." : "No suggestions" + (note ? ": " + note : ".");
    }

    function params(text) {
      var query = new URLSearchParams({ q: text });
      var kind = original.dataset.pickerKind;
      if (kind) query.set("kind", kind.split(",")[0]);
      var within = original.dataset.pickerWithin;
      if (within && form) {
        var source = form.elements[within];
        query.set("file", source ? source.value : "");
      }
      return query;
    }

    function search(text) {
      var query = params(text);
      if (original.dataset.pickerWithin && !query.get("file")) {
        render([], text, "Choose the document first.");
        return;
      }
      var key = query.toString();
      if (key === lastQuery && options.length) { open(); return; }
      lastQuery = key;
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(original.dataset.pickerUrl + "?" + key, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (body) {
        if (document.activeElement !== input) return;
        var note = body.note || (body.filled ? "" : "The directory is empty: enter an id.");
        render(body.results || [], text, note);
      }).catch(function (error) {
        if (error.name === "AbortError") return;
        render([], text, "Search failed; you can still enter an id.");
      });
    }

    function commit(id, labelText, state, detail) {
      committed = { id: id, label: labelText };
      input.value = labelText;
      stateLine(box, state, labelText, detail || "");
      if (original.value !== id) {
        original.value = id;
        original.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function choose(option) {
      close();
      if (option.raw) commit(option.id, option.id, "unknown");
      else commit(option.id, option.label, option.suspended ? "suspended" : "known", option.detail);
      lastQuery = null;
    }

    // Text left in the box that was not chosen: the same name as before, a result it names exactly, or a raw id.
    function settle() {
      var text = input.value.trim();
      if (text === committed.label) return;
      if (!text) { commit("", "", "empty"); return; }
      var match = options.filter(function (o) { return !o.raw && (o.id === text || o.label === text || o.detail === text); });
      if (match.length === 1) { choose(match[0]); return; }
      commit(text, text, "unknown");
    }

    // A section belongs to its document: when another document is chosen, the section chosen for
    // the old one is cleared here, before the autosave (fields.js, listening on the document) sees
    // the change, so both fields go in one write.
    var within = original.dataset.pickerWithin;
    if (within && form) {
      form.addEventListener("change", function (event) {
        if (event.target.name !== within || !original.value) return;
        original.value = "";
        committed = { id: "", label: "" };
        input.value = "";
        stateLine(box, "empty", "", "");
        message.textContent = "Section cleared: choose a section of the new document.";
        message.hidden = false;
        status.textContent = message.textContent;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value;
      if (!text.trim() && !original.dataset.pickerWithin && !original.dataset.pickerKind) { render([], "", ""); close(); return; }
      timer = setTimeout(function () { search(text); }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden && options.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) {
          if (options.length) open(); else search(input.value);
          if (!options.length) return;
        }
        if (event.altKey) return;
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive((active + step + options.length) % options.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (expanded && active >= 0) choose(options[active]);
        else { close(); settle(); }
      } else if (event.key === "Escape") {
        if (expanded) { event.preventDefault(); close(); }
        else if (input.value !== committed.label) { event.preventDefault(); input.value = committed.label; }
      } else if (event.key === "Tab") {
        if (expanded && active >= 0) choose(options[active]);
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
      settle();
    });

    input.addEventListener("focus", function () { input.select(); });
  }

  function enhanceIn(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("input[data-picker]")) enhance(root);
    root.querySelectorAll("input[data-picker]").forEach(enhance);
  }

  enhanceIn(document);
  // The inspector is swapped by htmx (its answers and out-of-band parts): enhance what arrives.
  document.addEventListener("htmx:load", function (event) { enhanceIn(event.target); });
  document.addEventListener("htmx:afterSettle", function () { enhanceIn(document.getElementById("inspector")); });
})();
