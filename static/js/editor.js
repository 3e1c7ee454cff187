/* The outline editor: drag and drop (SortableJS), keyboard moves, selection, collapsed groups.
 *
 * Every change goes to the server. A refused one (409 stale version, 422 invalid) is answered with
 * the authoritative workspace, which replaces everything. An accepted edit is answered with only
 * what it changed (the "outline patch": the moved, added or edited rows, the group headers, the
 * inspector, the new version), applied here in place; the problems list, counts and publish area then follow in
 * one request for the draft's status. Markup comes only from the server, which escapes every user
 * value; this file never builds HTML from text.
 *
 * The markup and data-* attributes read here and in fields.js (rows, page, outline patch, badge
 * sync) are the contract documented once in designer/outline/__init__.py; tests/designer/test_outline.py
 * checks that these files read exactly the attributes listed there.
 */
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  // The key of the item a keyboard move is for: focus goes back to it when its answer arrives, and
  // only then (an inspector or status answer arriving meanwhile never moves focus).
  var pendingFocus = null;

  // htmx runs one request at a time per source element and, when that one is busy, keeps only the
  // newest waiting request and resolves the others' promises at once (so a quick second or third
  // move was dropped, and "checking…" ended early). Each kind of request therefore has its own
  // source element, outside the workspace so a swap never removes it (see designer/editor.html).
  function channel(name) { return document.getElementById(name + "-channel"); }

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
    var groups = Array.prototype.slice.call(root.querySelectorAll("li.group"));
    if (root.matches && root.matches("li.group")) groups.push(root);
    groups.forEach(function (li) {
      if (set.has(li.dataset.key)) li.setAttribute("aria-expanded", "false");
    });
  }

  function visibleItems() {
    return Array.prototype.filter.call(document.querySelectorAll('#outline-form [role="treeitem"]'), function (li) {
      if (li.classList.contains("search-out")) return false;  // hidden by the search's "only matches"
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

  // Show ``key`` as the selected node (the root when it has no item); return its item, if any.
  function markSelected(key) {
    document.getElementById("selected-key").value = key || "";
    document.querySelectorAll("#outline-form .is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
      if (el.hasAttribute("aria-selected")) el.setAttribute("aria-selected", "false");
    });
    var li = key && document.getElementById("node-" + key);
    if (li) {
      li.classList.add("is-selected");
      li.setAttribute("aria-selected", "true");
    } else if (key) {
      var rootRow = document.querySelector("#outline-form .root-row");
      if (rootRow) rootRow.classList.add("is-selected");
    }
    // static/js/selection.js shows the rest of a multi-selection (or resets it to this item).
    if (window.PD && window.PD.selection) window.PD.selection.primary(key || "");
    document.dispatchEvent(new CustomEvent("pd:selected", { detail: { key: key || "" } }));  // for live.js
    return li || null;
  }

  // Load an inspector (one item's, or the bulk one for several): the newest choice wins. A request
  // still on its way is aborted first — queued behind it, htmx would swap the newer answer into the
  // inspector element the older answer had already replaced, and the older one would stay shown.
  var inspectorTicket = 0;  // select() calls so far: only the newest may release the inspector shown
  function loadInspector(url) {
    var source = channel("inspector");
    htmx.trigger(source, "htmx:abort");
    return htmx.ajax("GET", url, { source: source, target: "#inspector", swap: "outerHTML" });
  }

  function select(key, options) {
    options = options || {};
    var li = markSelected(key);
    if (options.focus) pendingFocus = null;  // the user went elsewhere: an answer still coming must not pull focus back
    if (li) {
      revealItem(li);
      if (options.scroll) li.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
      if (options.focus) focusItem(li);
    }
    // Until the chosen item's inspector arrives, the one shown belongs to the item selected before:
    // it is dimmed and inert (its Delete or Save would act on that item, not on the one now selected).
    var shown = document.getElementById("inspector");
    if (shown) { shown.inert = true; shown.setAttribute("aria-busy", "true"); }
    var ticket = ++inspectorTicket;
    var stale = function () {  // a newer choice (which aborted this request) keeps it inert
      if (ticket === inspectorTicket && shown && document.body.contains(shown)) {
        shown.inert = false;
        shown.removeAttribute("aria-busy");
      }
    };
    loadInspector(nodeBase() + key + "/").then(function () {
      stale();  // when the answer did not replace it (an error, or an older answer replaced meanwhile)
      if (options.field) {
        var input = document.querySelector('#inspector [name="node-' + options.field + '"]');
        if (input) { input.focus(); return; }
        if (li) focusItem(li);
      }
      // On narrow screens the inspector sits below the outline: bring it into view.
      if (options.showInspector && window.matchMedia("(max-width: 760px)").matches) {
        var inspector = document.getElementById("inspector");
        if (inspector) inspector.scrollIntoView({ block: "start" });
      }
    }, stale);
    if (history.replaceState) history.replaceState(null, "", "?node=" + key);
  }

  // Writes (moves, drops, fields saved as the user leaves them) are sent one after another, each with
  // the version the previous answer set, so a quick second move does not conflict with the first.
  // ``write`` resolves with the answer's HTTP status (0 when none came).
  var queue = Promise.resolve();
  var writing = 0;
  var refusals = 0;  // writes refused (409/412 a conflict, 422 invalid): each re-renders the workspace
  // The status (problems, counts, publish area) of the user's own writes comes in the answer of the
  // last write queued (with_status=1): a write with others queued behind it skips it, and the last
  // one's answer brings the newest, with every row's badges if any write of the run needed them.
  var answering = false;     // a write's request is on its way: the patch that arrives is its answer
  var statusFolded = false;  // ... and it asked for the status in its answer
  var badgesOwed = false;    // a skipped status would have brought every row's badges

  // The editor says it is busy (aria-busy) from the moment a write is queued until its answer is applied.
  function busy(delta) {
    writing += delta;
    document.querySelector(".editor").setAttribute("aria-busy", writing > 0 ? "true" : "false");
  }

  function write(url, values, form) {
    busy(1);
    var refusalsBefore = refusals;
    var result = queue.then(function () {
      var ws = workspace();
      // A form's save waiting behind a refused write is not sent: the workspace now shows the
      // current draft with what the user changed, and the conflict message; they decide again.
      // (A form merely replaced meanwhile, by another item's inspector, is still sent: its values
      // were taken when the user left the field.)
      if (!ws || (form && refusals !== refusalsBefore && !document.body.contains(form))) return 0;
      values.version = ws.dataset.version;
      // The last write queued asks for the status in its answer (one request less per edit); a
      // write with others behind it does not (the last one's answer will carry the newest).
      answering = true;
      statusFolded = writing === 1;
      if (statusFolded) {
        values.with_status = "1";
        if (badgesOwed) values.with_badges = "1";
        badgesOwed = false;
        document.body.classList.add("status-stale");
      } else {
        delete values.with_status;
      }
      var source = channel("write");
      var status = 0;
      var seen = function (event) { status = event.detail.xhr ? event.detail.xhr.status : 0; };
      source.addEventListener("htmx:afterRequest", seen);
      var done = function () { source.removeEventListener("htmx:afterRequest", seen); return status; };
      return htmx.ajax("POST", url, { source: source, target: "#workspace", swap: "outerHTML", values: values })
        .then(done, done);  // htmx:responseError / sendError already told the user
    }).then(function (status) {
      var refused = status === 409 || status === 412 || status === 422;
      if (refused) refusals += 1;
      answering = false;
      if (statusFolded) {
        statusFolded = false;
        if (status >= 200 && status < 300 || refused) {
          // Its answer carried the status (or re-rendered the workspace): nothing stale is left unless
          // a status request is still on its way (it then asks once more, for the newest).
          if (statusBusy) statusAgain = true; else document.body.classList.remove("status-stale");
        } else {
          refreshStatus(badgesOwed);  // no answer: earlier writes of the run may still owe theirs
          badgesOwed = false;
        }
      }
      busy(-1);
      return status;
    });
    queue = result;
    return result;
  }

  // Run ``task`` (a function returning a promise) in turn with the writes, never while one waits for
  // its answer: static/js/live.js applies other people's changes this way, between two writes.
  function inTurn(task) {
    var result = queue.then(task).then(function () {}, function () {});
    queue = result;
    return result;
  }

  // A keyboard move up or down among its siblings is shown at once, before its answer (the answer's
  // patch then puts the row where the server has it: the same place, unless someone else changed
  // the group meanwhile). ``ahead`` counts, per key, the moves shown whose answer has not come yet:
  // while more than one is on its way, a patch leaves that row where it is shown (no jumping back
  // and forth through three quick presses). The sibling moves, not the row: focus stays on it.
  var ahead = {};

  function step(li, direction) {
    var other = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return false;
    if (direction === "up") li.after(other); else li.before(other);
    return true;
  }

  function move(li, direction) {
    if (!editable()) return;
    var key = li.dataset.key;
    pendingFocus = key;
    var shown = (direction === "up" || direction === "down") && step(li, direction);
    if (shown) ahead[key] = (ahead[key] || 0) + 1;
    write(nodeBase() + key + "/move/", { direction: direction, selected: key }).then(function (status) {
      if (shown) {
        ahead[key] -= 1;
        if (!ahead[key]) delete ahead[key];
        // Not applied and nothing re-rendered (the connection failed, a server error): take the step back.
        // A refusal (409, 422) answered with the whole workspace as the server has it.
        var rerendered = status === 409 || status === 412 || status === 422;
        var again = !(status >= 200 && status < 300) && !rerendered && document.getElementById("node-" + key);
        if (again) step(again, direction === "up" ? "down" : "up");
      }
      if (pendingFocus === key && queue === settled) pendingFocus = null;
    });
    var settled = queue;
  }

  function dropped(event) {
    var index = event.newDraggableIndex;
    if (event.from === event.to && event.oldDraggableIndex === index) return;
    if (window.PD && window.PD.selection && window.PD.selection.dropped(event)) return;  // a multi-selection
    write(nodeBase() + event.item.dataset.key + "/move/", {
      parent: event.to.dataset.key,
      position: index,
      selected: document.getElementById("selected-key").value,
    });
  }

  function setVersion(version) {
    var ws = workspace();
    ws.dataset.version = version;
    ws.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = version; });
    var label = document.getElementById("draft-version");
    if (label) label.textContent = "v" + version;
  }

  // Apply an outline patch: remove, then place each item at its parent and index (replacing its old
  // markup wherever that is), then replace the group headers whose size or badges changed.
  function applyPatch(holder) {
    var template = holder.querySelector("template");
    if (!template) return;
    var content = template.content;
    var active = document.activeElement;
    var hadFocus = active && active.matches('#outline-form [role="treeitem"]') ? active.id : null;
    (holder.dataset.removed || "").split(" ").forEach(function (key) {
      var gone = key && document.getElementById("node-" + key);
      if (gone) gone.remove();
    });
    var places = content.querySelectorAll("[data-parent]");
    // Every placed item's old markup goes first: several items placed into one list (a multi-move)
    // then land at their indexes, inserted in the patch's (parent, index) order.
    places.forEach(function (place) {
      var item = place.firstElementChild;
      var old = item && document.getElementById(item.id);
      if (!old) return;
      // A row moved again by the user since this answer's move (shown, its answer still to come)
      // keeps the place it is shown at; only its markup is brought up to date (taking the item out
      // of the patch, so the loop below leaves it where it is).
      var list = old.parentElement;
      if ((ahead[old.dataset.key] || 0) > 1 && list && list.dataset.key === place.dataset.parent) {
        old.replaceWith(item);
        applyCollapsed(item);
      } else {
        old.remove();
      }
    });
    places.forEach(function (place) {
      var item = place.firstElementChild;
      var list = document.querySelector('#outline-form ul[data-key="' + place.dataset.parent + '"]');
      if (!item || !list) return;
      list.insertBefore(item, list.children[Number(place.dataset.index)] || null);
      applyCollapsed(item);
    });
    content.querySelectorAll("[data-group]").forEach(function (header) {
      var empty = header.dataset.size === "0";
      var li = document.getElementById("node-" + header.dataset.group);
      if (!li) {  // the root: it has no row, only the outline's empty state
        var tree = document.querySelector('#outline-form ul.tree[data-key="' + header.dataset.group + '"]');
        if (tree) tree.classList.toggle("is-empty", empty);
        var hint = document.getElementById("outline-empty");
        if (hint) hint.hidden = !empty;
        return;
      }
      var row = li.querySelector(":scope > .row");
      if (row && header.firstElementChild) row.replaceWith(header.firstElementChild);
      li.classList.toggle("parallel", header.dataset.parallel === "true");
      var list = li.querySelector(":scope > ul.children");
      if (list) list.classList.toggle("is-empty", empty);
    });
    holder.replaceChildren();
    setVersion(holder.dataset.version);
    markSelected(holder.dataset.selected);
    initSortables(document);
    var focusKey = holder.dataset.focus;
    var target = focusKey && document.getElementById("node-" + focusKey);
    if (target) document.getElementById("outline-form").dataset.focus = focusKey;
    if (target && pendingFocus === focusKey) {
      revealItem(target);
      focusItem(target);
    } else if (hadFocus && document.activeElement === document.body) {
      // The focused row was replaced by its new markup: keep the keyboard on it.
      var again = document.getElementById(hadFocus);
      if (again) focusItem(again);
    }
    if (!answering) refreshStatus(holder.dataset.badges === "all");  // a live catch-up's patch
    else if (!statusFolded && holder.dataset.badges === "all") badgesOwed = true;  // the last write's answer brings them
    changed();
  }

  // Tell the editor's other modules (selection.js, search.js) that rows were replaced.
  function changed() { document.dispatchEvent(new CustomEvent("pd:outlineChanged")); }

  // Put every row's problem badges from the status (sent after an edit that can change any of them).
  function syncBadges(holder) {
    var template = holder.querySelector("template");
    if (!template) return;
    document.querySelectorAll("#outline-form .row > .badges").forEach(function (badges) { badges.remove(); });
    template.content.querySelectorAll("[data-for]").forEach(function (entry) {
      var row = document.querySelector("#node-" + entry.dataset.for + " > .row");
      var badges = entry.firstElementChild;
      if (!row || !badges) return;
      row.insertBefore(badges, row.querySelector(":scope > .comment-marker"));
    });
    holder.replaceChildren();
  }

  // The problems list, counts and publish area need the whole draft: one request after a patch that
  // did not bring them (a live catch-up's; the user's own writes get them in the last answer, see
  // ``answering`` above), never two at once, so answers arrive in order and the last is the newest.
  var statusBusy = false;
  var statusAgain = false;
  var badgesWanted = false;
  function refreshStatus(withBadges) {
    var form = document.getElementById("outline-form");
    if (!form) return;
    badgesWanted = badgesWanted || Boolean(withBadges);
    if (statusBusy) { statusAgain = true; return; }
    statusBusy = true;
    var url = form.dataset.statusUrl + (badgesWanted ? "?badges=1" : "");
    badgesWanted = false;
    document.body.classList.add("status-stale");
    htmx.ajax("GET", url, { source: channel("status"), target: "#problems", swap: "none" }).catch(function () {}).then(function () {
      statusBusy = false;
      if (statusAgain) { statusAgain = false; refreshStatus(); } else document.body.classList.remove("status-stale");
    });
  }

  function onKeydown(event) {
    var li = event.target.closest('[role="treeitem"]');
    if (!li || event.target !== li) return;
    var key = event.key;
    if (event.altKey) {
      var direction = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "indent", ArrowLeft: "outdent" }[key];
      if (direction) { event.preventDefault(); move(li, direction); }
      return;
    }
    var items = visibleItems();  // walks every row: only for the keys that need it, never for a move
    var index = items.indexOf(li);
    var isGroup = li.classList.contains("group");
    var expanded = li.getAttribute("aria-expanded") !== "false";
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
      // A problem about one field opens its item and puts the cursor in that field.
      var field = problem.dataset.problemField;
      select(problem.dataset.problemKey, { scroll: true, focus: !field, field: field });
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

  // While dragging, #outline-form has the class is-dragging (it shows every group's "end of group"
  // target, li.end-drop) and the list the item would land in has drop-target (its group is
  // outlined): only those elements are restyled, never the whole page.
  var dropTarget = null;
  function markDropTarget(list) {
    if (dropTarget === list) return;
    if (dropTarget) dropTarget.classList.remove("drop-target");
    dropTarget = list;
    if (list) list.classList.add("drop-target");
  }

  // SortableJS looks under the pointer only every 50 ms and not at all outside the lists: a drag
  // that ends below the outline (past its last group, in the panel's padding) belongs at the end of
  // the root, not in the last list the pointer crossed.
  var dragged = null;
  function onDragPointer(event) {
    var tree = document.querySelector("#outline-form ul.tree");
    if (!dragged || !tree || event.clientY <= tree.getBoundingClientRect().bottom) return;
    var end = tree.querySelector(":scope > .end-drop");
    if (dragged.nextElementSibling !== end) tree.insertBefore(dragged, end);
    markDropTarget(tree);
  }

  // Before SortableJS drops (pointerup), let it look once more where the pointer is: a quick drag
  // released within 50 ms of its last move would otherwise land where the pointer was before.
  // (_emulateDragOver is SortableJS 1.15.6's own look, the vendored, pinned version.) If the item
  // still sits in another list than the one under the pointer (a level off, as SortableJS can
  // leave it at a nested group's edge), it goes where the pointer is: before or after the job row
  // under it, by halves, or at the end of the group whose end target is under it. Over a group's
  // own row (the item shown above a group pushes that row under the pointer), the upper half means
  // before the group and the lower half first inside it (after it when the group is collapsed).
  function onDragRelease(event) {
    var active = typeof Sortable !== "undefined" && Sortable.active;
    if (!dragged) return;
    if (active && typeof active._emulateDragOver === "function") active._emulateDragOver();
    placeAtPointer(event.clientX, event.clientY);
  }

  function placeAtPointer(x, y) {
    var clone = typeof Sortable !== "undefined" && Sortable.ghost;  // the copy following the pointer
    if (clone) clone.style.display = "none";
    var under = document.elementFromPoint(x, y);
    if (clone) clone.style.display = "";
    if (!under || !dragged || dragged.contains(under)) return;
    var end = under.closest("#outline-form .end-drop");
    var row = !end && under.closest("#outline-form li.node > .row");
    if (!end && !row) return;
    var list, before;
    if (end) {
      list = end.parentElement;
      before = end;
    } else {
      var li = row.parentElement;
      var rect = row.getBoundingClientRect();
      var lower = y > rect.top + rect.height / 2;
      var inside = li.classList.contains("group") && li.getAttribute("aria-expanded") !== "false";
      if (lower && inside) {
        list = li.querySelector(":scope > ul.children");
        before = list && list.firstElementChild;
      } else {
        list = li.parentElement;
        before = lower ? li.nextElementSibling : li;
      }
    }
    if (!list || list === dragged.parentElement) return;  // same list: SortableJS placed it as shown
    list.insertBefore(dragged, before);
    markDropTarget(list);
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
        // Never past a group's end target: hovering it puts the item at the end of that group.
        onMove: function (event) {
          return event.related && event.related.classList.contains("end-drop") ? -1 : true;
        },
        onStart: function (event) {
          dragged = event.item;
          document.addEventListener("pointermove", onDragPointer);
          window.addEventListener("pointerup", onDragRelease, true);
          document.body.classList.add("dragging");
          document.getElementById("outline-form").classList.add("is-dragging");
          markDropTarget(event.from);
        },
        onChange: function (event) { markDropTarget(event.to); },
        onEnd: function (event) {
          dragged = null;
          document.removeEventListener("pointermove", onDragPointer);
          window.removeEventListener("pointerup", onDragRelease, true);
          document.body.classList.remove("dragging");
          document.getElementById("outline-form").classList.remove("is-dragging");
          markDropTarget(null);
          dropped(event);
        },
      });
    });
  }

  function afterSwap(root) {
    var form = document.getElementById("outline-form");
    if (!form) return;
    applyCollapsed(document);
    initSortables(document);
    var items = document.querySelectorAll('#outline-form [role="treeitem"]');
    if (items.length) {
      var focusKey = form.dataset.focus;
      var target = (focusKey && document.getElementById("node-" + focusKey)) || items[0];
      target.tabIndex = 0;
      // A refused move answers with the whole workspace: focus stays on the item the user moved.
      var moved = pendingFocus && root.contains(form) && document.getElementById("node-" + pendingFocus);
      if (moved) {
        revealItem(moved);
        focusItem(moved);
      }
    }
    if (root.contains(form)) changed();
  }

  function start() {
    if (!document.getElementById("outline-form")) return;
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", onClick);
    htmx.onLoad(afterSwap);
    document.addEventListener("htmx:oobAfterSwap", function (event) {
      if (event.target.id === "outline-patch") applyPatch(event.target);
      else if (event.target.id === "badge-sync") syncBadges(event.target);
    });
    var focusKey = document.getElementById("outline-form").dataset.focus;
    if (focusKey) {
      var li = document.getElementById("node-" + focusKey);
      if (li) { revealItem(li); li.scrollIntoView({ block: "center" }); }
    }
  }

  // static/js/fields.js (the forms saved field by field) sends through the same write queue.
  // static/js/selection.js and search.js use the same queue, selection, focus and collapsed groups;
  // static/js/live.js applies other people's changes in turn with the writes, then refreshes the status.
  window.pdEditor = {
    write: write, editable: editable, workspace: workspace, nodeBase: nodeBase, select: select,
    reveal: revealItem, focusItem: focusItem, visibleItems: visibleItems, storageKey: storageKey,
    setExpanded: setExpanded, applyCollapsed: applyCollapsed, inTurn: inTurn, refreshStatus: refreshStatus,
    loadInspector: loadInspector,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
