"""The editor's outline: its rows, and the patch an edit answers with, for ``static/js/editor.js``
(and ``static/js/fields.js``, its forms saved field by field; ``selection.js``, the multi-selection;
``search.js``, the outline's search; ``tools.js``, collapse all and the shortcut sheet).

``rows`` renders the outline's rows (in Python: a 3,000-job tree must render in a few tens of
milliseconds, which a template loop of that many rows does not); ``build`` makes the whole
draft's :class:`Outline` and, for an accepted edit, the :class:`OutlinePatch` of the changed nodes
only; ``records`` holds the typed records an answer carries, each rendering its own markup.

The contract with editor.js
===========================

This is the one description of the markup editor.js reads; ``tests/designer/test_outline.py``
checks that the attributes below are exactly the ``data-*`` attributes editor.js reads, and that
the records render them.

Rows (:func:`render_rows`)
    ``<li class="node group|job …" id="node-<key>" data-key="<key>" role="treeitem"
    aria-level aria-selected tabindex>`` (``aria-selected="true"`` on each item of the selection, which
    selection.js keeps: ``ul.tree`` is ``aria-multiselectable``), its first child ``<div class="row">`` (``.handle`` when
    the user may edit, ``.toggle`` for a group, ``a.label``, ``.badges``, ``.comment-marker``). A
    group also has ``aria-expanded`` (editor.js keeps collapsed groups in localStorage), the class
    ``parallel`` when its items run at the same time, and ``<ul class="children [is-empty]"
    role="group" data-key="<key>">`` holding its items, then ``li.end-drop`` (not a tree item,
    ``aria-hidden``): the "end of this group" drop target, shown while dragging. The root has no
    row: its items sit in ``ul.tree[data-key="<root key>"]``, which ends with its own ``li.end-drop``.

Page (``designer/editor.html``)
    ``.editor[data-draft]``; ``#workspace[data-version][data-editable]``, swapped whole when a
    write is refused; ``#outline-form[data-node-base][data-status-url][data-focus]``;
    ``#selected-key`` (the selected node's key, sent with every write); problem links
    ``[data-problem-key]``, with ``data-problem-field`` when the problem is about one field (the
    registry's name: editor.js focuses the inspector's ``[name="node-<field>"]``); empty holders
    ``#outline-patch`` and ``#badge-sync`` that the answers below replace out of band. Outside the
    workspace, ``#write-channel``, ``#status-channel`` and ``#inspector-channel``: the elements
    editor.js sends each kind of request from. Forms saved field by field as the user leaves each
    field carry ``data-autosave`` (posted with ``autosave=1``; a refused one answers 422 with the
    event ``pd:notSaved``), and each of their fields a ``p[data-save-state="<field name>"]`` for its
    saving / saved / failed state; they post their base values too (``designer.forms.BasedForm``).
    Outside the workspace too (a refused write does not reset them), ``#outline-tools[data-index-url]``
    (the search index, ``designer.views.selection.outline_index_view``; search.js asks for it again
    when ``#workspace[data-version]`` changed) with the search box and filters, and the selection's
    actions, each ``[data-needs-selection]`` (shown only while several items are selected). The
    multi-selection's writes post ``keys`` (space-separated) to ``nodes-move`` and ``nodes-delete``.

Events
    editor.js dispatches ``pd:outlineChanged`` on ``document`` after applying a patch and after a
    whole-workspace swap; selection.js dispatches ``pd:selection`` (``detail.keys``) when the
    selection changed, and exposes ``window.PD.selection``.

Patch (:class:`OutlinePatch`, the answer to an accepted edit, swapped into ``#outline-patch``)
    ``data-version`` (the draft's new version), ``data-focus`` (the key to focus after a keyboard
    move), ``data-selected`` (the selected key, empty for none), ``data-badges="all"`` (ask the
    status for every row's badges) and ``data-removed`` (space-separated keys of deleted items);
    inside its ``<template>``: one ``div[data-parent][data-index]`` per :class:`PlacedItem` holding
    the item's ``<li>`` (every placed item's old markup is removed first, then each is inserted at
    its index, in the patch's order: several items placed into one list come in ascending index), and one
    ``div[data-group][data-size][data-parallel]`` per :class:`GroupHeader` holding the group's new
    ``.row`` (empty for the root, whose size only decides the empty-outline hint ``#outline-empty``).

Badges (:class:`BadgeSync`, in the status answer when asked with ``?badges=1``, into ``#badge-sync``)
    ``data-version``; inside its ``<template>`` one ``div[data-for="<key>"]`` per node with
    problems, holding that row's ``.badges``. Rows not listed have none.
"""

from __future__ import annotations

from designer.outline.build import Outline, build_outline, outline_patch
from designer.outline.records import BadgeSync, GroupHeader, NodeBadges, OutlinePatch, PlacedItem
from designer.outline.rows import RowRenderer, badges_html, render_rows

# Every data-* attribute editor.js reads, by the element that carries it (see the module docstring).
CONTRACT = {
    "row": ("data-key",),
    "page": (
        "data-draft",
        "data-version",
        "data-editable",
        "data-node-base",
        "data-status-url",
        "data-focus",
        "data-problem-key",
        "data-problem-field",
        "data-autosave",
        "data-save-state",
        "data-index-url",
        "data-needs-selection",
    ),
    "patch": (
        "data-version",
        "data-focus",
        "data-selected",
        "data-badges",
        "data-removed",
        "data-parent",
        "data-index",
        "data-group",
        "data-size",
        "data-parallel",
    ),
    "badges": ("data-version", "data-for"),
}

__all__ = [
    "CONTRACT",
    "BadgeSync",
    "GroupHeader",
    "NodeBadges",
    "Outline",
    "OutlinePatch",
    "PlacedItem",
    "RowRenderer",
    "badges_html",
    "build_outline",
    "outline_patch",
    "render_rows",
]
