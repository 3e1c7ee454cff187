"""The outline's rows and patch records, and their contract with static/js/editor.js."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from designer.models import Draft, Node
from designer.outline import (
    CONTRACT,
    BadgeSync,
    GroupHeader,
    NodeBadges,
    OutlinePatch,
    PlacedItem,
    badges_html,
    outline_patch,
    render_rows,
)
from designer.outline.rows import END_DROP
from designer.selectors.trees import Tree, draft_tree
from processes_api.lint import Problem
from tests.factories import add_group, add_job, make_draft, root_of

JS = Path(__file__).resolve().parents[2] / "static" / "js"
# the editor, its forms saved field by field, its multi-selection, search and tools
EDITOR_JS = tuple(JS / name for name in ("editor.js", "fields.js", "selection.js", "search.js", "tools.js"))
EVIL = '<script>alert("x")</script>&'


class Elements(HTMLParser):
    """Collect every start tag as ``(tag, attributes)`` and the text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag, **attrs):
        return [a for t, a in self.tags if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def tree_of(spec):
    """Return an in-memory Tree: ``spec`` is a list of (name, kind, children or job arguments)."""
    ids = iter(range(1, 10_000))
    root = Node(id=next(ids), key=uuid.uuid4(), kind="group", name="Process", parallel=False)
    tree = Tree(draft=Draft(pk=1, name="Process"), root=root, by_id={root.id: root})

    def add(parent, items):
        for position, (name, kind, extra) in enumerate(items):
            node = Node(id=next(ids), key=uuid.uuid4(), parent_id=parent.id, position=position, kind=kind)
            if kind == "group":
                node.name, node.parallel = name, bool(extra and extra.get("parallel"))
            else:
                node.job_type = (extra or {}).pop("type", "sendTask")
                node.arguments = {"title": name, **(extra or {})}
            tree.by_id[node.id] = node
            tree.children_of.setdefault(parent.id, []).append(node)
            if kind == "group":
                add(node, (extra or {}).get("items", []))

    add(root, spec)
    return tree


def named(tree, name):
    return next(n for n in tree.by_id.values() if n.label == name)


def test_rows_nest_groups_and_jobs_in_document_order_with_levels():
    tree = tree_of(
        [
            ("Prepare", "group", {"items": [("Collect", "job", {}), ("Empty", "group", {})]}),
            ("Sign off", "job", {}),
        ]
    )

    html = render_rows(tree, [], selected=None, can_edit=True)

    page = Elements(html)
    items = page.all("li", role="treeitem")
    assert [(i["id"], i["aria-level"]) for i in items] == [
        (f"node-{named(tree, 'Prepare').key}", "1"),
        (f"node-{named(tree, 'Collect').key}", "2"),
        (f"node-{named(tree, 'Empty').key}", "2"),
        (f"node-{named(tree, 'Sign off').key}", "1"),
    ]
    assert [i["data-key"] for i in items] == [i["id"].removeprefix("node-") for i in items]
    lists = page.all("ul", role="group")
    assert [(u["data-key"], u["class"]) for u in lists] == [
        (str(named(tree, "Prepare").key), "children"),
        (str(named(tree, "Empty").key), "children is-empty"),
    ]
    # "Sign off" is outside "Prepare": both groups were closed before it.
    # Each list ends with its "end of group" drop target.
    closed = f"{END_DROP}</ul></li>"
    assert html.index(closed + closed) < html.index("Sign off")
    assert html.count(END_DROP) == 2


def test_group_row_shows_mode_size_and_parallel_class():
    tree = tree_of([("Checks", "group", {"parallel": True, "items": [("A", "job", {}), ("B", "job", {})]})])

    html = render_rows(tree, [], selected=None, can_edit=True)

    group = Elements(html).all("li", role="treeitem")[0]
    assert group["class"] == "node group parallel"
    assert group["aria-expanded"] == "true"
    assert '<span class="mode">all at the same time</span><span class="meta">2 items</span>' in html


def test_job_row_shows_type_assignee_and_due_date():
    tree = tree_of([("Reconcile", "job", {"assigneeUser": "userId7", "dueDate": "2026-05-01"})])

    html = render_rows(tree, [], selected=None, can_edit=True)

    assert Elements(html).all("li", role="treeitem")[0]["class"] == "node job jt-sendTask"
    assert '<span class="meta assignee" title="Assignee">userId7</span>' in html
    assert '<span class="meta due" title="Due date">due 2026-05-01</span>' in html


def test_every_user_text_in_a_row_is_escaped():
    job_args = {"type": EVIL, "assignee": {"id": EVIL, "type": "user"}, "dueDate": EVIL}
    tree = tree_of([(EVIL, "group", {"items": [(EVIL, "job", job_args)]})])
    job = next(n for n in tree.by_id.values() if n.kind == "job")

    html = render_rows(tree, [], selected=None, can_edit=True, comments={job.key: 1}, comments_url=f"/review/{EVIL}")

    assert "<script>" not in html
    assert '"x"' not in html
    # The group's name; the job's type (class and label), title, assignee and due date; the review link;
    # the name and the title again in their labels' title attributes (the tooltip of a truncated row).
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;") == 9
    assert "due &lt;script&gt;" in html
    assert 'href="/review/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;?node=' in html


def test_the_selected_row_is_marked_and_handles_show_only_to_editors():
    tree = tree_of([("A", "job", {}), ("B", "job", {})])
    a = named(tree, "A")

    editable = Elements(render_rows(tree, [], selected=a.key, can_edit=True))
    read_only = render_rows(tree, [], selected=None, can_edit=False)

    assert [(i["class"], i["aria-selected"]) for i in editable.all("li", role="treeitem")] == [
        ("node job jt-sendTask is-selected", "true"),
        ("node job jt-sendTask", "false"),
    ]
    assert len(editable.all("span", **{"class": "handle"})) == 2
    assert 'class="handle"' not in read_only


def test_rows_carry_problem_badges_and_a_comment_marker_linking_to_the_review_page():
    tree = tree_of([("A", "job", {})])
    a = named(tree, "A")
    problems = [
        Problem("error", "x", "E", a.key),
        Problem("error", "y", "E", a.key),
        Problem("warning", "z", "W", a.key),
    ]

    html = render_rows(tree, problems, selected=None, can_edit=False, comments={a.key: 1}, comments_url="/r/1/")

    assert (
        '<span class="badges"><span class="badge badge-error" title="2 errors">2</span>'
        '<span class="badge badge-warning" title="1 warning">1</span></span>'
        f'<a class="comment-marker" href="/r/1/?node={a.key}#comments" tabindex="-1" '
        'title="1 open comment: read them" aria-label="1 open comment">1</a>'
    ) in html
    no_link = render_rows(tree, [], selected=None, can_edit=False, comments={a.key: 2})
    assert '<span class="comment-marker" title="2 open comments" aria-label="2 open comments">2</span>' in no_link


def test_a_subtree_renders_its_root_at_the_given_level():
    tree = tree_of([("Prepare", "group", {"items": [("Collect", "job", {})]})])
    group = named(tree, "Prepare")
    tree.root = group

    page = Elements(render_rows(tree, [], selected=None, can_edit=True, root_level=3))

    assert [i["aria-level"] for i in page.all("li", role="treeitem")] == ["3", "4"]


def test_badges_are_empty_without_problems():
    assert badges_html(0, 0) == ""


def test_the_patch_renders_its_records_as_the_contract_says():
    parent, placed_key, group, gone = (uuid.uuid4() for _ in range(4))
    item = mark_safe(f'<li id="node-{placed_key}"></li>')
    patch = OutlinePatch(
        version=7,
        selected=placed_key,
        focus=placed_key,
        placed=(PlacedItem(parent=parent, index=2, html=item),),
        groups=(GroupHeader(key=group, size=0, parallel=True, row=mark_safe('<div class="row"></div>')),),
        removed=(gone, parent),
        all_badges=True,
    )

    html = Template("{{ patch }}").render(Context({"patch": patch}))

    page = Elements(html)
    holder = page.all("div", id="outline-patch")[0]
    assert holder == {
        "id": "outline-patch",
        "hidden": None,
        "hx-swap-oob": "true",
        "data-version": "7",
        "data-focus": str(placed_key),
        "data-selected": str(placed_key),
        "data-badges": "all",
        "data-removed": f"{gone} {parent}",
    }
    assert page.all("div", data_parent=str(parent)) == [{"data-parent": str(parent), "data-index": "2"}]
    assert page.all("div", data_group=str(group)) == [
        {"data-group": str(group), "data-size": "0", "data-parallel": "true"}
    ]
    assert f'<template><div data-parent="{parent}" data-index="2"><li id="node-{placed_key}"></li></div>' in html


def test_an_empty_patch_says_nothing_is_selected_or_removed_and_asks_no_badges():
    html = str(OutlinePatch(version=3))

    assert html == (
        '<div id="outline-patch" hidden hx-swap-oob="true" data-version="3" data-focus="" data-selected="" '
        'data-removed=""><template></template></div>'
    )


def test_record_markup_given_as_plain_text_is_escaped():
    html = str(PlacedItem(parent=uuid.uuid4(), index=0, html=EVIL))  # type: ignore[arg-type]

    assert "<script>" not in html


def test_badge_sync_puts_each_rows_badges_under_its_key():
    key = uuid.uuid4()

    html = str(BadgeSync(version=4, badges=(NodeBadges(key, mark_safe(badges_html(1, 0))),)))

    assert html == (
        f'<div id="badge-sync" hidden hx-swap-oob="true" data-version="4"><template><div data-for="{key}">'
        '<span class="badges"><span class="badge badge-error" title="1 error">1</span></span></div></template></div>'
    )


def _kebab(name):
    return "data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group().lower(), name)


def test_editor_js_reads_exactly_the_attributes_of_the_contract():
    source = "\n".join(path.read_text() for path in EDITOR_JS)

    read = {_kebab(name) for name in re.findall(r"\.dataset\.(\w+)", source)}
    read |= set(re.findall(r"\[(data-[a-z-]+)", source))

    assert read == {name for names in CONTRACT.values() for name in names}


def test_the_records_emit_only_attributes_of_the_contract():
    key = uuid.uuid4()
    patch = OutlinePatch(
        version=1,
        placed=(PlacedItem(parent=key, index=0, html=mark_safe("")),),
        groups=(GroupHeader(key=key, size=1, parallel=False, row=mark_safe("")),),
        all_badges=True,
    )
    sync = BadgeSync(version=1, badges=(NodeBadges(key, mark_safe("")),))
    rows = render_rows(tree_of([("G", "group", {"items": [("J", "job", {})]})]), [], selected=None, can_edit=True)

    emitted = {
        name: {a for _, attrs in Elements(str(html)).tags for a in attrs if a.startswith("data-")}
        for name, html in {"patch": patch, "badges": sync, "row": rows}.items()
    }

    assert emitted == {name: set(CONTRACT[name]) for name in emitted}


@pytest.mark.django_db
def test_outline_patch_places_the_item_under_its_parent_and_gives_each_groups_header():
    draft = make_draft()
    root = root_of(draft)
    group = add_group(draft, root, "Prepare <1>")
    draft.refresh_from_db()
    first = add_job(draft, group, "First")
    draft.refresh_from_db()
    job = add_job(draft, group, "Second")
    draft.refresh_from_db()

    patch = outline_patch(draft, place=[job], groups=[group, root], selected=job.key, can_edit=True)

    assert patch.version == draft.version
    assert [(p.parent, p.index) for p in patch.placed] == [(group.key, 1)]
    assert f'id="node-{job.key}"' in patch.placed[0].html
    assert 'aria-level="2"' in patch.placed[0].html
    assert f'id="node-{first.key}"' not in patch.placed[0].html
    assert [(g.key, g.size, g.parallel) for g in patch.groups] == [(group.key, 2, False), (root.key, 1, False)]
    assert "Prepare &lt;1&gt;" in patch.groups[0].row
    assert patch.groups[1].row == ""
    assert len(draft_tree(draft=draft).by_id) == 4
