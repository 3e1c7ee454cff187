/* Live co-editing: other people's changes as they happen, and who else is in the draft.
 *
 * One websocket per open editor (live/consumers.py). On "changed to version V" this file asks the
 * server for the changes since the version the page shows (live/views.py) and lets editor.js apply
 * the answer exactly as it applies the answer to the user's own edit: an outline patch, then the
 * status (problems, counts, publish area); or, when the page is too far behind, the whole
 * workspace. It asks in turn with the user's own writes (pdEditor.inTurn), never in the middle of one.
 *
 * Presence: the people here (names and initials, one colour each), a marker with their name on the
 * row each has selected, and the field each is typing in. Without the websocket (blocked, a proxy,
 * the server restarting) the editor works as before and says "Live updates off", with Reload.
 * Comments made, resolved or reopened elsewhere update the rows' open-comment markers.
 * Presence markup is built with DOM calls and textContent only: names are never parsed as HTML; the
 * comment markers are the server's own row markup (escaped there, as every row is).
 */
(function () {
  "use strict";

  var editor = document.querySelector(".editor[data-live-url]");
  if (!editor || !window.pdEditor) return;

  var EXPIRES_MS = 40000;
  var socket = null;
  var me = null;             // this connection's id (from "hello")
  var myUser = null;
  var heartbeat = null;
  var retries = 0;
  var stopped = false;       // access revoked: do not reconnect
  var wanted = 0;            // the newest version announced
  var catching = false;
  var catchAgain = false;
  var peers = {};            // connection id → {id, user, name, initials, colour, node, field, seen}
  var typing = { node: null, field: null };

  function workspace() { return pdEditor.workspace(); }
  function version() { var ws = workspace(); return ws ? Number(ws.dataset.version) : 0; }
  function selectedKey() { var input = document.getElementById("selected-key"); return input ? input.value : ""; }

  // --- the status line --------------------------------------------------------------------------

  var status = document.getElementById("live-status");
  function setStatus(state, text) {
    if (!status) return;
    status.dataset.state = state;
    status.querySelector(".live-text").textContent = text;
    status.querySelector(".live-reload").hidden = state === "on" || state === "connecting";
  }
  if (status) status.querySelector(".live-reload").addEventListener("click", function () { window.location.reload(); });

  // --- the connection ---------------------------------------------------------------------------

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + editor.dataset.liveUrl;
  }

  function send(message) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  }

  function connect() {
    if (stopped) return;
    if (!("WebSocket" in window)) { off(); return; }
    try { socket = new WebSocket(url()); } catch (e) { off(); retry(); return; }
    socket.onopen = function () { retries = 0; };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      receive(message);
    };
    socket.onclose = function (event) {
      socket = null;
      clearInterval(heartbeat);
      peers = {};
      render();
      if (event.code === 4403) { stop("You no longer have access to this draft. Reload to see where you are."); return; }
      off();
      retry();
    };
  }

  function off() {
    setStatus("off", "Live updates off: other people's changes show when you reload.");
  }

  function stop(text) {
    stopped = true;
    setStatus("stopped", text);
    if (socket) socket.close();
  }

  function retry() {
    if (stopped) return;
    retries += 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(retries - 1, 5)));
    setTimeout(connect, delay);
  }

  function receive(message) {
    switch (message.type) {
      case "hello":
        me = message.id;
        myUser = message.user;
        setStatus("on", "Live: changes by others appear as they happen.");
        clearInterval(heartbeat);
        heartbeat = setInterval(function () { send({ type: "ping" }); prune(); }, (message.heartbeat || 15) * 1000);
        lastSelected = selectedKey() || null;
        send({ type: "here", node: lastSelected, field: typing.field });
        // Back after a break: fetch whatever happened meanwhile.
        wanted = Math.max(wanted, Number(message.version));
        if (wanted > version()) catchUp();
        break;
      case "changed":
        wanted = Math.max(wanted, Number(message.version));
        if (wanted > version()) catchUp();
        break;
      case "activity":
        pdEditor.refreshStatus();
        if (COMMENT_VERBS.indexOf(message.verb) >= 0) syncComments();
        break;
      case "role":
        catchUp(true);
        break;
      case "presence":
        if (message.id === me) return;
        message.seen = Date.now();
        peers[message.id] = message;
        render();
        break;
      case "leave":
        delete peers[message.id];
        render();
        break;
      case "revoked":
        stop(message.message);
        break;
    }
  }

  // --- catching up --------------------------------------------------------------------------------

  // Rows never move under a press: while a mouse button or a finger is down in the outline (a click
  // on its way, a drag), a catch-up waits, and applies once it is released and the click was handled.
  // A release the page never hears of (the button let go outside the window) stops waiting after 10 s.
  var pressed = false;
  var waiting = [];
  var pressTimer = null;
  function released() {
    if (!pressed) return;
    pressed = false;
    clearTimeout(pressTimer);
    setTimeout(function () { waiting.splice(0).forEach(function (go) { go(); }); }, 0);  // after the click
  }
  document.addEventListener("pointerdown", function (event) {
    if (!event.target.closest || !event.target.closest("#outline-form")) return;
    pressed = true;
    clearTimeout(pressTimer);
    pressTimer = setTimeout(released, 10000);
  }, true);
  ["pointerup", "pointercancel", "dragend"].forEach(function (name) { document.addEventListener(name, released, true); });
  function pointerFree() {
    return pressed ? new Promise(function (go) { waiting.push(go); }) : Promise.resolve();
  }

  // One catch-up at a time, in turn with the user's writes; the answer is an outline patch (or the
  // whole workspace), which editor.js applies and follows with the status.
  // ``from``: a version to fetch the changes since even though the page shows a newer one (see gaps below).
  var fetching = false;
  var gapFrom = null;
  function catchUp(whole) {
    if (catching) { catchAgain = true; return; }
    catching = true;
    pdEditor.inTurn(function () { return pointerFree().then(fetchChanges); }).then(function () {
      catching = false;
      fetching = false;
      if (catchAgain || version() < wanted) { catchAgain = false; if (version() < wanted) catchUp(); }
    });

    function fetchChanges() {
      var ws = workspace();
      var since = gapFrom !== null ? gapFrom : Number(ws && ws.dataset.version);
      gapFrom = null;
      if (!ws || (!whole && since >= wanted && since >= version())) return null;
      fetching = true;
      var query = "?since=" + (whole ? "" : encodeURIComponent(since)) +
        "&node=" + encodeURIComponent(selectedKey()) + (typingHere() ? "" : "&inspector=1");
      return htmx.ajax("GET", editor.dataset.changesUrl + query, {
        source: document.getElementById("live-channel"), target: "#workspace", swap: "none",
      });
    }
  }

  // --- comment markers ----------------------------------------------------------------------------

  // A comment made, resolved or reopened (on the review page, by anyone): every row's open-comment
  // marker from the server (live/views.py comments_view), in turn with writes and catch-ups so an
  // older answer never lands after it. The markers are the server's markup, placed last in each row.
  var COMMENT_VERBS = ["commented", "comment_resolved", "comment_reopened"];
  function syncComments() {
    pdEditor.inTurn(function () {
      return fetch(editor.dataset.commentsUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var template = holder.querySelector("template");
          if (!template) return;
          document.querySelectorAll("#outline-form .row > .comment-marker").forEach(function (marker) { marker.remove(); });
          template.content.querySelectorAll("[data-for]").forEach(function (entry) {
            var row = document.querySelector("#node-" + CSS.escape(entry.dataset.for) + " > .row");
            var marker = entry.firstElementChild;
            if (row && marker) row.appendChild(marker);
          });
        });
    });
  }

  // Whether the user is typing in the inspector (then it is not refreshed under their cursor).
  function typingHere() {
    var active = document.activeElement;
    return Boolean(active && active.closest && active.closest("#inspector form"));
  }

  // An edit of the user's based on an older version is merged by the server (it touched nothing that
  // changed since): its answer moves the page from version P to one past others' changes, P + 2 or
  // more, without them. Fetch the changes since P then (the user's own comes again: placed as it is).
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.target.id !== "workspace" || fetching) return;
      var before = Number(record.oldValue);
      var after = Number(record.target.dataset.version);
      if (after > before + 1) {
        gapFrom = gapFrom === null ? before : Math.min(gapFrom, before);
        wanted = Math.max(wanted, after);
        catchUp();
      }
    });
  }).observe(editor, { subtree: true, attributes: true, attributeFilter: ["data-version"], attributeOldValue: true });

  // --- presence -----------------------------------------------------------------------------------

  function prune() {
    var now = Date.now();
    var changed = false;
    Object.keys(peers).forEach(function (id) {
      if (now - peers[id].seen > EXPIRES_MS) { delete peers[id]; changed = true; }
    });
    if (changed) render();
  }

  function fieldLabel(name) {
    var input = name && document.querySelector('[name="' + CSS.escape(name) + '"]');
    var label = input && input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
    if (label) return label.textContent.replace(/\s+/g, " ").trim();
    return name ? name.replace(/^(node|settings)-/, "").replace(/_/g, " ") : "";
  }

  function nodeLabel(key) {
    var li = key && document.getElementById("node-" + key);
    var label = li && li.querySelector(":scope > .row .label");
    if (label) return label.textContent.replace(/\s+/g, " ").trim();
    var root = document.getElementById("root-label");
    if (root && root.dataset.key === key) return root.textContent.trim();
    return "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The people list (one entry per person, however many tabs they have open) and the row markers.
  function render() {
    var list = document.getElementById("live-people");
    if (!list) return;
    var people = {};
    Object.keys(peers).forEach(function (id) {
      var peer = peers[id];
      if (peer.user === myUser) return;  // yourself in another tab
      var known = people[peer.user];
      if (!known || (peer.field && !known.field) || (!known.field && peer.seen > known.seen)) people[peer.user] = peer;
    });
    list.replaceChildren();
    Object.keys(people).sort(function (a, b) { return people[a].name.localeCompare(people[b].name); }).forEach(function (user) {
      var peer = people[user];
      var item = el("li", "live-person who-" + peer.colour);
      item.appendChild(el("span", "avatar", peer.initials)).setAttribute("aria-hidden", "true");
      item.appendChild(el("span", "name", peer.name));
      var where = nodeLabel(peer.node);
      var doing = peer.field ? "typing in " + fieldLabel(peer.field) + (where ? " of " + where : "")
        : where ? "on " + where : "";
      if (doing) item.appendChild(el("span", "doing", doing));
      list.appendChild(item);
    });
    list.hidden = !list.children.length;
    document.querySelectorAll("#outline-form .presence-marker").forEach(function (marker) { marker.remove(); });
    document.querySelectorAll("#inspector .live-typing").forEach(function (note) { note.remove(); });
    Object.keys(people).forEach(function (user) {
      var peer = people[user];
      var row = peer.node && document.querySelector("#node-" + CSS.escape(peer.node) + " > .row");
      if (row) {
        // The people list says the same in words: the marker is for the eye only.
        var marker = el("span", "presence-marker who-" + peer.colour, peer.name);
        marker.setAttribute("aria-hidden", "true");
        if (peer.field) marker.classList.add("is-typing");
        row.appendChild(marker);
      }
      if (peer.field && peer.node && peer.node === selectedKey()) {
        var input = document.querySelector('#inspector [name="' + CSS.escape(peer.field) + '"]');
        var holder = input && input.closest(".field, p, div");
        if (holder) holder.appendChild(el("p", "live-typing who-" + peer.colour, peer.name + " is typing here"));
      }
    });
  }

  // --- what this user does ------------------------------------------------------------------------

  // Every patch marks the selection again: tell the others only when it changed.
  var lastSelected = null;
  document.addEventListener("pd:selected", function (event) {
    var key = event.detail.key || null;
    if (key === lastSelected) return;
    lastSelected = key;
    send({ type: "select", node: key });
  });

  function fieldOf(target) {
    if (!target || !target.name || !target.closest) return null;
    var form = target.closest("form[data-autosave]");
    return form ? target.name : null;
  }

  document.addEventListener("focusin", function (event) {
    var field = fieldOf(event.target);
    if (!field) return;
    var inInspector = event.target.closest("#inspector");
    typing = { node: inInspector ? selectedKey() || null : null, field: field };
    send({ type: "typing", node: typing.node, field: field });
  });
  document.addEventListener("focusout", function (event) {
    if (!fieldOf(event.target)) return;
    typing = { node: null, field: null };
    send({ type: "typing", node: selectedKey() || null, field: null });
  });

  // Rows are redrawn by patches and swaps: put the markers back on them.
  var pending = false;
  function renderSoon() {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; render(); }, 0);
  }
  document.addEventListener("htmx:oobAfterSwap", renderSoon);
  document.addEventListener("htmx:afterSettle", renderSoon);

  window.pdLive = { catchUp: catchUp, peers: function () { return peers; } };
  setStatus("connecting", "Connecting live updates…");
  connect();
})();
