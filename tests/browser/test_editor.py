"""The outline editor in a real Chromium: building, dragging, keyboard moves, errors, conflicts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.nodes import node_move, node_update
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser


def editor_url(live_server, draft, node=None):
    return f"{live_server.url}/drafts/{draft.pk}/" + (f"?node={node.key}" if node else "")


def structure(draft):
    tree = draft_tree(draft=Draft.objects.get(pk=draft.pk))
    return [(node.label, depth) for node, depth in tree.walk()][1:]


def item(page, label):
    return page.locator('[role="treeitem"]', has=page.locator(":scope > .row .label", has_text=label)).first


def wait_write(page, path_part, action):
    with page.expect_response(lambda r: path_part in r.url and r.request.method == "POST") as info:
        action()
    response = info.value
    settled(page)
    return response


def settled(page):
    """Wait for the editor to finish: no htmx request, no write still queued (the editor's aria-busy)."""
    busy = ".htmx-request, .htmx-settling, .htmx-swapping, .editor[aria-busy='true']"
    page.wait_for_function(f'() => !document.querySelector("{busy}")')


def test_build_a_draft_from_empty_and_find_it_after_reload(page, live_server, browser_user):
    page.goto(live_server.url + "/")
    page.locator("#id_name").fill("Year-end close")
    page.get_by_role("button", name="Create blank draft").click()
    expect(page.get_by_text("This process has no jobs yet.")).to_be_visible()
    draft = Draft.objects.get(owner=browser_user)

    wait_write(page, "/nodes/add/", lambda: page.locator(".add-bar").get_by_role("button", name="+ Group").click())
    page.locator("#id_node-name").fill("Preparation")
    wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())
    add_here = page.locator("#inspector .add-here")
    wait_write(page, "/nodes/add/", lambda: add_here.get_by_role("button", name="+ Group").click())
    page.locator("#id_node-name").fill("Bank")
    wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())
    for label in ("+ Send a task", "+ Request content"):
        item(page, "Bank").locator(":scope > .row").click()
        expect(page.locator("#inspector h2")).to_have_text("Group")
        wait_write(
            page,
            "/nodes/add/",
            lambda label=label: page.locator("#inspector .add-here").get_by_role("button", name=label).click(),
        )
    wait_write(page, "/nodes/add/", lambda: page.locator(".add-bar").get_by_role("button", name="+ Certify").click())
    page.locator("#id_node-title").fill("CFO sign-off")
    wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())

    expected = [
        ("Preparation", 1),
        ("Bank", 2),
        ("New task", 3),
        ("New content request", 3),
        ("CFO sign-off", 1),
    ]
    assert structure(draft) == expected
    page.reload()
    labels = page.locator('[role="treeitem"] > .row .label').all_inner_texts()
    assert labels == [label for label, _ in expected]
    assert page.locator('[role="treeitem"][aria-level="3"]').count() == 2


@pytest.fixture
def drag_draft(browser_user):
    draft = make_draft(browser_user, name="Drag me")
    root = root_of(draft)
    outer = add_group(draft, root, "Outer")
    add_job(draft, outer, "Inside outer")
    inner = add_group(draft, outer, "Inner")
    add_job(draft, root, "Mover")
    add_group(draft, root, "Last")
    draft.refresh_from_db()
    return draft, inner


def test_drag_a_job_into_a_nested_group_and_the_group_out(page, live_server, drag_draft):
    draft, inner = drag_draft
    page.goto(editor_url(live_server, draft))

    problems = page.locator("#problems .problem-list")
    expect(problems.locator("li", has_text="Inner")).to_contain_text("This group is empty")
    mover = item(page, "Mover").locator(":scope > .row .handle")
    empty_inner = item(page, "Inner").locator(":scope > ul.children")
    response = wait_write(page, "/move/", lambda: mover.drag_to(empty_inner, steps=20))

    assert response.status == 200
    assert Node.objects.get(draft=draft, arguments__title="Mover").parent_id == inner.pk
    moved = item(page, "Inner").locator('[role="treeitem"]', has_text="Mover")
    expect(moved).to_be_visible()
    expect(moved).to_have_attribute("aria-level", "3")
    # The patch updated the group it joined and the version; the status request the problems list.
    expect(item(page, "Inner").locator(":scope > .row .meta")).to_have_text("1 item")
    expect(item(page, "Inner").locator(":scope > .row .badge-warning")).to_have_count(0)
    expect(item(page, "Inner").locator(":scope > ul.children")).not_to_have_class(re.compile("is-empty"))
    version = Draft.objects.get(pk=draft.pk).version
    expect(page.locator("#draft-version")).to_have_text(f"v{version}")
    expect(page.locator("#workspace")).to_have_attribute("data-version", str(version))
    expect(problems.locator("li", has_text="Inner")).to_have_count(0)
    expect(page.locator("body")).not_to_have_class(re.compile("status-stale"))

    handle = item(page, "Inner").locator(":scope > .row .handle")
    target = item(page, "Last").locator(":scope > .row")
    response = wait_write(page, "/move/", lambda: handle.drag_to(target, steps=20))

    assert response.status == 200
    inner.refresh_from_db()
    assert inner.parent_id == root_of(draft).pk
    assert ("Mover", 2) in structure(draft)
    expect(item(page, "Inner")).to_have_attribute("aria-level", "1")
    expect(item(page, "Inner").locator('[role="treeitem"]', has_text="Mover")).to_have_attribute("aria-level", "2")
    expect(item(page, "Outer").locator(":scope > .row .meta")).to_have_text("1 item")
    # What the patches left on the page is what the server renders from scratch.
    shown = [
        (li.get_attribute("aria-level"), li.locator(":scope > .row .label").inner_text())
        for li in page.locator('[role="treeitem"]').all()
    ]
    page.reload()
    assert [
        (li.get_attribute("aria-level"), li.locator(":scope > .row .label").inner_text())
        for li in page.locator('[role="treeitem"]').all()
    ] == shown


def test_indent_and_outdent_with_the_keyboard(page, live_server, drag_draft):
    draft, _ = drag_draft
    page.goto(editor_url(live_server, draft))
    item(page, "Mover").locator(":scope > .row").click()
    expect(item(page, "Mover")).to_be_focused()

    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowUp"))
    assert structure(draft)[0] == ("Mover", 1)  # above Outer now
    expect(item(page, "Mover")).to_be_focused()

    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowDown"))
    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowRight"))
    assert ("Mover", 2) in structure(draft)
    assert Node.objects.get(arguments__title="Mover").parent.name == "Outer"
    expect(item(page, "Mover")).to_be_focused()
    expect(item(page, "Mover")).to_have_attribute("aria-level", "2")

    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowLeft"))
    assert Node.objects.get(arguments__title="Mover").parent.is_root
    expect(item(page, "Mover")).to_have_attribute("aria-level", "1")

    page.keyboard.press("ArrowDown")
    expect(item(page, "Last")).to_be_focused()
    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowDown"))
    expect(page.get_by_role("alert").filter(has_text="“Last” is already last in its group.")).to_be_visible()


def test_invalid_date_shows_the_error_then_the_fix_saves(page, live_server, drag_draft):
    draft, _ = drag_draft
    job = Node.objects.get(arguments__title="Mover")
    page.goto(editor_url(live_server, draft, job))
    due = page.locator("#id_node-dueDate")

    due.fill("1999-12-31")
    response = wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())

    assert response.status == 422
    expect(page.locator("#inspector .field-error")).to_have_text("Choose a date between 2000-01-01 and 2099-12-31.")
    job.refresh_from_db()
    assert "dueDate" not in job.arguments

    page.locator("#id_node-dueDate").fill("2026-06-30")
    wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())

    expect(page.locator("#inspector .field-error")).to_have_count(0)
    job.refresh_from_db()
    assert job.arguments["dueDate"] == "2026-06-30"
    page.reload()
    expect(item(page, "Mover").locator(".due")).to_have_text("due 2026-06-30")


def test_clicking_a_problem_lands_on_its_node(page, live_server, browser_user):
    draft = make_draft(browser_user, name="Problems")
    root = root_of(draft)
    group = add_group(draft, root, "Deep")
    for i in range(30):
        add_job(draft, root, f"Filler {i}")
    broken = add_job(draft, group, "No assignee", assigneeUser="")
    draft.refresh_from_db()
    page.set_viewport_size({"width": 1400, "height": 600})
    page.goto(editor_url(live_server, draft))
    item(page, "Deep").locator(":scope > .row .toggle").click()
    expect(item(page, "Deep")).to_have_attribute("aria-expanded", "false")

    page.locator("#problems").get_by_role("link", name=re.compile("No assignee")).click()

    node = page.locator(f"#node-{broken.key}")
    # The problem is about the assignee: the cursor goes to that field (it used to stop on the row).
    expect(page.locator("#id_node-assigneeUser")).to_be_focused()
    expect(node).to_have_attribute("aria-selected", "true")
    expect(node).to_be_in_viewport()
    expect(item(page, "Deep")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_node-title")).to_have_value("No assignee")


def test_collapsed_groups_stay_collapsed_after_reload(page, live_server, drag_draft):
    draft, _ = drag_draft
    page.goto(editor_url(live_server, draft))

    item(page, "Outer").locator(":scope > .row .toggle").click()
    page.reload()

    expect(item(page, "Outer")).to_have_attribute("aria-expanded", "false")
    expect(item(page, "Inside outer")).to_be_hidden()


def test_a_stale_tab_gets_the_conflict_message_and_loses_nothing(new_page, live_server, drag_draft):
    draft, _ = drag_draft
    job = Node.objects.get(arguments__title="Mover")
    first, second = new_page(), new_page()
    first.goto(editor_url(live_server, draft, job))
    second.goto(editor_url(live_server, draft, job))

    first.locator("#id_node-title").fill("Mover (first)")
    wait_write(first, "/edit/", lambda: first.locator("#inspector").get_by_role("button", name="Save").click())
    second.locator("#id_node-title").fill("Mover (second)")
    response = wait_write(
        second, "/edit/", lambda: second.locator("#inspector").get_by_role("button", name="Save").click()
    )

    assert response.status == 409
    expect(second.get_by_role("alert").first).to_contain_text(
        "This draft changed since you opened it — here is the current version"
    )
    expect(item(second, "Mover (first)")).to_be_visible()
    expect(second.locator("#id_node-title")).to_have_value("Mover (second)")
    job.refresh_from_db()
    assert job.arguments["title"] == "Mover (first)"

    wait_write(second, "/edit/", lambda: second.locator("#inspector").get_by_role("button", name="Save").click())
    job.refresh_from_db()
    assert job.arguments["title"] == "Mover (second)"


def test_a_stale_drag_snaps_back_with_the_conflict_message(page, live_server, drag_draft):
    draft, inner = drag_draft
    page.goto(editor_url(live_server, draft))
    # Someone else moves the same job meanwhile (a change elsewhere would merge: tests/live/).
    mover_node = Node.objects.get(draft=draft, arguments__title="Mover")
    fresh = Draft.objects.get(pk=draft.pk)
    node_move(node=mover_node, version=fresh.version, parent_key=root_of(draft).key, position=0)

    mover = item(page, "Mover").locator(":scope > .row .handle")
    response = wait_write(
        page, "/move/", lambda: mover.drag_to(item(page, "Inner").locator(":scope > ul.children"), steps=20)
    )

    assert response.status == 409
    expect(page.get_by_role("alert").first).to_contain_text("This draft changed since you opened it")
    expect(page.get_by_role("alert").first).to_contain_text("moved “Mover” while you were working on it")
    expect(item(page, "Mover")).to_have_attribute("aria-level", "1")
    mover_node.refresh_from_db()
    assert (mover_node.parent.is_root, mover_node.position) == (True, 0)


def shown_outline(page):
    return [
        (li.get_attribute("aria-level"), li.locator(":scope > .row .label").inner_text())
        for li in page.locator('[role="treeitem"]').all()
    ]


def test_duplicate_delete_and_undo_update_the_outline_in_place(page, live_server, drag_draft):
    draft, _ = drag_draft
    outer = Node.objects.get(draft=draft, name="Outer")
    page.goto(editor_url(live_server, draft, outer))
    inspector = page.locator("#inspector")

    wait_write(page, "/duplicate/", lambda: inspector.get_by_role("button", name="Duplicate").click())
    expect(page.locator("#flash")).to_contain_text("Duplicated “Outer”.")
    assert [label for label, _ in structure(draft)].count("Inside outer") == 2
    expect(page.locator('[role="treeitem"] > .row .label', has_text="Inside outer")).to_have_count(2)
    copy = page.locator('[role="treeitem"].is-selected')
    expect(copy).to_have_count(1)
    expect(inspector.locator("#id_node-name")).to_have_value("Outer")
    after_duplicate = shown_outline(page)

    page.once("dialog", lambda dialog: dialog.accept())
    wait_write(page, "/delete/", lambda: inspector.get_by_role("button", name="Delete").click())
    expect(page.locator("#flash")).to_contain_text("Deleted “Outer”.")
    assert [label for label, _ in structure(draft)].count("Inside outer") == 1
    expect(page.locator('[role="treeitem"] > .row .label', has_text="Inside outer")).to_have_count(1)

    wait_write(page, "/undo/", lambda: page.locator("#flash").get_by_role("button", name="Undo").click())
    expect(page.locator("#flash")).to_contain_text("Undid the deletion of “Outer”.")
    expect(page.locator('[role="treeitem"] > .row .label', has_text="Inside outer")).to_have_count(2)
    assert shown_outline(page) == after_duplicate
    page.reload()
    assert shown_outline(page) == after_duplicate


def test_a_drag_elsewhere_keeps_what_the_user_is_typing_in_the_inspector(page, live_server, drag_draft):
    draft, _ = drag_draft
    last = Node.objects.get(draft=draft, name="Last")
    page.goto(editor_url(live_server, draft, last))
    page.locator("#id_node-name").fill("Last, renamed while dragging")

    mover = item(page, "Mover").locator(":scope > .row .handle")
    wait_write(page, "/move/", lambda: mover.drag_to(item(page, "Inner").locator(":scope > ul.children"), steps=20))
    expect(page.locator("#workspace")).to_have_attribute("data-version", str(Draft.objects.get(pk=draft.pk).version))

    expect(page.locator("#id_node-name")).to_have_value("Last, renamed while dragging")
    wait_write(page, "/edit/", lambda: page.locator("#inspector").get_by_role("button", name="Save").click())
    expect(page.get_by_role("alert")).to_have_count(0)
    last.refresh_from_db()
    assert last.name == "Last, renamed while dragging"
    assert Node.objects.get(arguments__title="Mover").parent.name == "Inner"
    expect(item(page, "Last, renamed while dragging")).to_be_visible()


def test_process_settings_update_the_title_and_every_badge_in_place(page, live_server, drag_draft):
    draft, _ = drag_draft
    mover = Node.objects.get(draft=draft, arguments__title="Mover")
    node_update(
        node=mover,
        version=Draft.objects.get(pk=draft.pk).version,
        changes={"arguments": {"title": "Mover", "assigneeUser": "userId1", "dueDate": "2026-06-30"}},
    )
    page.goto(editor_url(live_server, draft))
    expect(item(page, "Mover").locator(":scope > .row .badge-error")).to_have_count(0)
    page.locator("#settings-h").click()
    page.locator("#id_settings-name").fill("Renamed <draft>")
    page.locator("#id_settings-due_date").fill("2026-06-01")

    wait_write(page, "/settings/", lambda: page.get_by_role("button", name="Save settings").click())

    expect(page.locator("#draft-title")).to_have_text("Renamed <draft>")
    expect(page.locator("#flash")).to_contain_text("Process settings saved.")
    expect(item(page, "Mover").locator(":scope > .row .badge-error")).to_have_text("1")
    expect(page.locator("#problems")).to_contain_text("is after the process due date 2026-06-01")
    shown = page.locator("#outline-form").inner_html()
    page.reload()
    expect(item(page, "Mover").locator(":scope > .row .badge-error")).to_have_text("1")
    assert page.locator("#outline-form").inner_html().count("badge-error") == shown.count("badge-error")
