"""Real sequences at the keyboard and mouse: moves in a row, fields left unsaved, drops at a group's
end, and a conflict followed by a re-save (issue 11 defects 1-4, issue 18 item 4)."""

from __future__ import annotations

import contextlib
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from designer.models import Draft, Node
from designer.services.drafts import draft_update
from designer.services.nodes import node_update
from tests.browser.test_editor import editor_url, item, settled, wait_write
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser


def row(page, label):
    return item(page, label).locator(":scope > .row")


def root_titles(draft):
    root = root_of(Draft.objects.get(pk=draft.pk))
    return [n.label for n in Node.objects.filter(parent=root).order_by("position")]


@pytest.fixture
def flat_draft(browser_user):
    draft = make_draft(browser_user, name="Flat")
    root = root_of(draft)
    for title in ("A", "B", "C", "D", "E"):
        add_job(draft, root, title)
    draft.refresh_from_db()
    return draft


def test_focus_selection_and_inspector_stay_on_the_item_just_moved(page, live_server, flat_draft):
    page.goto(editor_url(live_server, flat_draft))
    row(page, "A").click()
    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowDown"))
    assert root_titles(flat_draft) == ["B", "A", "C", "D", "E"]
    expect(item(page, "A")).to_be_focused()

    # Click C and move it at once, while its inspector may still be on its way.
    row(page, "C").click()
    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowUp"))

    assert root_titles(flat_draft) == ["B", "C", "A", "D", "E"]
    expect(item(page, "C")).to_be_focused()
    expect(item(page, "C")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_node-title")).to_have_value("C")
    # The next Alt+Up moves C again, not A.
    wait_write(page, "/move/", lambda: page.keyboard.press("Alt+ArrowUp"))
    assert root_titles(flat_draft) == ["C", "B", "A", "D", "E"]
    expect(item(page, "C")).to_be_focused()
    expect(page.locator('[role="treeitem"][aria-selected="true"]')).to_have_count(1)


STATUS_WATCH = """() => {
  window.__statusInFlight = 0;
  window.__staleClearedWhileBusy = 0;
  window.__moves = 0;
  window.__statusRequests = 0;
  document.addEventListener("htmx:beforeRequest", (e) => {
    const path = e.detail.requestConfig.path;
    if (path.includes("/status/")) { window.__statusInFlight += 1; window.__statusRequests += 1; }
    if (path.includes("/move/")) window.__moves += 1;
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.requestConfig.path.includes("/status/")) window.__statusInFlight -= 1;
  });
  new MutationObserver(() => {
    if (!document.body.classList.contains("status-stale") && window.__statusInFlight > 0) {
      window.__staleClearedWhileBusy += 1;
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
}"""


def test_three_quick_moves_are_all_applied_in_order(page, live_server, flat_draft):
    page.goto(editor_url(live_server, flat_draft))
    row(page, "A").click()
    expect(page.locator("#id_node-title")).to_have_value("A")
    page.evaluate(STATUS_WATCH)

    for _ in range(3):
        page.keyboard.press("Alt+ArrowDown")
    settled(page)
    expect(page.locator("body")).not_to_have_class("status-stale")

    assert root_titles(flat_draft) == ["B", "C", "D", "A", "E"]
    assert page.evaluate("window.__moves") == 3
    assert page.evaluate("window.__staleClearedWhileBusy") == 0
    assert page.evaluate("window.__statusRequests") == 0  # the last move's answer carried the status
    expect(item(page, "A")).to_be_focused()
    shown = page.locator('#outline-form [role="treeitem"] > .row .label').all_inner_texts()
    assert shown == ["B", "C", "D", "A", "E"]
    expect(page.locator("#workspace")).to_have_attribute(
        "data-version", str(Draft.objects.get(pk=flat_draft.pk).version)
    )


def shown_titles(page):
    return page.locator('#outline-form [role="treeitem"] > .row .label').all_inner_texts()


def test_a_keyboard_move_is_shown_before_its_answer_and_three_quick_ones_never_jump_back(page, live_server, flat_draft):
    """Alt+↓ moves the row at once (issue 17: key → row painted); the answers, held and then let
    through one by one, leave it where the user put it at every step."""
    page.goto(editor_url(live_server, flat_draft))
    row(page, "A").click()
    expect(page.locator("#id_node-title")).to_have_value("A")
    moves = Held(page, "**/move/")
    orders = []
    page.expose_function("recordOrder", lambda order: orders.append(order))
    page.evaluate("""() => {
        const tree = document.querySelector('#outline-form ul.tree');
        new MutationObserver(() => window.recordOrder(
            Array.from(tree.querySelectorAll(':scope > [role=treeitem] > .row .label')).map((el) => el.textContent.trim()).join('')
        )).observe(tree, { childList: true });
    }""")

    for _ in range(3):
        page.keyboard.press("Alt+ArrowDown")
    assert shown_titles(page) == ["B", "C", "D", "A", "E"]  # every answer still held
    expect(item(page, "A")).to_be_focused()
    assert root_titles(flat_draft) == ["A", "B", "C", "D", "E"]

    while len(moves.routes) < 1:
        page.wait_for_timeout(20)
    moves.release()
    settled(page)
    assert root_titles(flat_draft) == ["B", "C", "D", "A", "E"]
    assert shown_titles(page) == ["B", "C", "D", "A", "E"]
    expect(item(page, "A")).to_be_focused()
    # The rows went forward only: never back to an earlier order while the answers came in.
    firsts = [order.index("A") for order in orders if "A" in order]
    assert firsts == sorted(firsts), orders


def test_a_keyboard_move_that_never_reached_the_server_is_taken_back(page, live_server, flat_draft):
    page.goto(editor_url(live_server, flat_draft))
    row(page, "B").click()
    expect(page.locator("#id_node-title")).to_have_value("B")
    page.route("**/move/", lambda route: route.abort("connectionrefused"))

    page.keyboard.press("Alt+ArrowUp")
    settled(page)
    assert shown_titles(page) == ["A", "B", "C", "D", "E"]
    assert root_titles(flat_draft) == ["A", "B", "C", "D", "E"]
    expect(item(page, "B")).to_be_focused()
    expect(page.locator("#net-error")).to_have_text("The server did not answer. Check your connection and try again.")


def test_an_edits_answer_carries_the_problems_and_counts_with_no_request_after_it(page, live_server, flat_draft):
    page.goto(editor_url(live_server, flat_draft))
    problems = page.locator("#problems h2")
    before = problems.inner_text()
    page.evaluate(STATUS_WATCH)

    page.get_by_role("button", name="+ Send a task").click()  # a new job: no assignee yet
    settled(page)
    expect(page.locator("body")).not_to_have_class("status-stale")
    after = problems.inner_text()
    assert after != before
    assert page.evaluate("window.__statusRequests") == 0
    page.reload()
    expect(problems).to_have_text(after)  # what a fresh load says


def title_of(draft, key):
    return Node.objects.get(draft=draft, key=key).arguments["title"]


def test_a_typed_title_is_saved_when_the_user_clicks_another_row(page, live_server, flat_draft):
    job = Node.objects.get(draft=flat_draft, arguments__title="B")
    page.goto(editor_url(live_server, flat_draft, job))
    page.locator("#id_node-title").fill("B, renamed")

    row(page, "D").click()
    expect(page.locator("#id_node-title")).to_have_value("D")
    settled(page)

    assert title_of(flat_draft, job.key) == "B, renamed"
    expect(item(page, "B, renamed")).to_be_visible()


class Held:
    """A route that keeps the answers to matching requests from the page until released."""

    def __init__(self, page, pattern):
        self.routes = []
        self.holding = True
        page.route(pattern, self.hold)

    def hold(self, route):
        if self.holding:
            self.routes.append(route)
        else:
            route.continue_()

    def release(self):
        self.holding = False
        for route in self.routes:
            with contextlib.suppress(PlaywrightError):  # the page aborted that request meanwhile
                route.continue_()


def test_a_typed_title_is_saved_when_another_rows_inspector_arrives_before_its_turn(page, live_server, flat_draft):
    """A move still on its way, a title typed, another row clicked: the title's save waits behind the
    move and the other row's inspector replaces the form meanwhile; the save is sent all the same."""
    job = Node.objects.get(draft=flat_draft, arguments__title="B")
    page.goto(editor_url(live_server, flat_draft, job))
    moves = Held(page, "**/move/")
    item(page, "A").focus()
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_function("() => document.querySelector('.editor').getAttribute('aria-busy') === 'true'")
    row(page, "B").click()
    expect(page.locator("#id_node-title")).to_have_value("B")
    page.locator("#id_node-title").fill("B, typed meanwhile")

    row(page, "D").click()
    expect(page.locator("#id_node-title")).to_have_value("D")  # the form the user typed in is gone
    while not moves.routes:
        page.wait_for_timeout(20)
    moves.release()
    settled(page)

    assert title_of(flat_draft, job.key) == "B, typed meanwhile"
    assert root_titles(flat_draft)[:2] == ["B, typed meanwhile", "A"]


def test_the_newest_selections_inspector_wins_when_an_older_one_is_still_on_its_way(page, live_server, flat_draft):
    """Ctrl-click B, then C, while the inspector for A+B is still coming: the inspector shows the three
    (before: the newer request waited behind the older one and was then put into the inspector element
    the older answer had replaced, so "2 jobs selected" stayed on screen)."""
    page.goto(editor_url(live_server, flat_draft))
    row(page, "A").click()
    expect(page.locator("#id_node-title")).to_have_value("A")
    held = Held(page, "**/bulk/?keys=*")
    row(page, "B").click(modifiers=["Control"])
    while not held.routes:
        page.wait_for_timeout(20)
    held.holding = False  # only the first is held
    row(page, "C").click(modifiers=["Control"])

    heading = page.locator("#inspector h2")
    expect(heading).to_have_text("3 jobs selected")
    held.release()  # the older answer, late (its request was aborted: it never shows)
    settled(page)
    expect(heading).to_have_text("3 jobs selected")
    expect(page.locator('#outline-form [role="treeitem"][aria-selected="true"]')).to_have_count(3)


def test_the_previous_items_inspector_is_inert_until_the_chosen_ones_arrives(page, live_server, flat_draft):
    """Click a row, then Delete in the inspector before the row's own inspector came: nothing may act
    on the item shown before (its Delete would delete that one)."""
    a = Node.objects.get(draft=flat_draft, arguments__title="A")
    d = Node.objects.get(draft=flat_draft, arguments__title="D")
    page.goto(editor_url(live_server, flat_draft, a))
    inspector_of_d = Held(page, f"**/nodes/{d.key}/")

    row(page, "D").click()
    inspector = page.locator("#inspector")
    expect(inspector).to_have_attribute("aria-busy", "true")
    assert inspector.evaluate("el => el.inert") is True
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    box = inspector.get_by_role("button", name="Delete").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # A's Delete, as a hand would
    assert dialogs == []  # hx-confirm would have asked at once: "Delete “A”?"

    inspector_of_d.release()
    expect(page.locator("#id_node-title")).to_have_value("D")
    expect(inspector).not_to_have_attribute("aria-busy", "true")
    assert inspector.evaluate("el => el.inert") is False
    inspector.get_by_role("button", name="Delete").click()
    settled(page)
    assert dialogs == ["Delete “D”? You can undo this."]
    assert root_titles(flat_draft) == ["A", "B", "C", "E"]


def test_each_field_says_saving_then_saved_as_the_user_leaves_it(page, live_server, flat_draft):
    job = Node.objects.get(draft=flat_draft, arguments__title="B")
    page.goto(editor_url(live_server, flat_draft, job))
    page.locator("#id_node-title").fill("B, tabbed")
    page.keyboard.press("Tab")
    page.keyboard.type("Read the ledger.")
    state = page.locator('[data-save-state="node-title"]')
    expect(state).to_have_text("Saved")
    assert title_of(flat_draft, job.key) == "B, tabbed"

    page.keyboard.press("Tab")  # leaves the instructions too
    expect(page.locator('[data-save-state="node-instructions"]')).to_have_text("Saved")
    assert Node.objects.get(key=job.key).arguments["instructions"] == "Read the ledger."
    # What the user typed stayed where it was while the title was saved.
    expect(page.locator("#id_node-instructions")).to_have_value("Read the ledger.")


def test_a_field_the_server_refuses_says_why_and_writes_nothing(page, live_server, flat_draft):
    job = Node.objects.get(draft=flat_draft, arguments__title="B")
    page.goto(editor_url(live_server, flat_draft, job))
    page.locator("#id_node-dueDate").fill("1999-12-31")
    page.keyboard.press("Tab")

    expect(page.locator('[data-save-state="node-dueDate"]')).to_have_text(
        "Not saved: Choose a date between 2000-01-01 and 2099-12-31."
    )
    assert "dueDate" not in Node.objects.get(key=job.key).arguments
    expect(page.locator("#id_node-dueDate")).to_have_value("1999-12-31")


def test_a_typed_title_is_saved_when_the_user_leaves_the_page(page, live_server, flat_draft):
    job = Node.objects.get(draft=flat_draft, arguments__title="C")
    page.goto(editor_url(live_server, flat_draft, job))
    page.locator("#id_node-title").fill("C, left behind")

    page.goto(live_server.url + "/")

    for _ in range(50):  # the page sent it as it went; wait for the server to have it
        if title_of(flat_draft, job.key) == "C, left behind":
            break
        time.sleep(0.1)
    assert title_of(flat_draft, job.key) == "C, left behind"


def make_nested(user, *, mover_first: bool) -> Draft:
    """Mover (first or last); Outer > Inner > Only child; Tail > Tail job."""
    draft = make_draft(user, name="Nested")
    root = root_of(draft)
    if mover_first:
        add_job(draft, root, "Mover")
    outer = add_group(draft, root, "Outer")
    inner = add_group(draft, outer, "Inner")
    add_job(draft, inner, "Only child")
    tail = add_group(draft, root, "Tail")
    add_job(draft, tail, "Tail job")
    if not mover_first:
        add_job(draft, root, "Mover")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def nested_draft(browser_user):
    return make_nested(browser_user, mover_first=True)


def drag(page, label, to_x, to_y, *, release=True, via=None):
    """Drag ``label`` by its handle to (to_x, to_y); with ``via``, rest over that row first, then
    reach the target in one quick movement and let go at once."""
    handle = row(page, label).locator(".handle").bounding_box()
    page.mouse.move(handle["x"] + 4, handle["y"] + 4)
    page.mouse.down()
    page.mouse.move(handle["x"] + 12, handle["y"] + 12, steps=4)
    if via is not None:
        box = row(page, via).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=20)
        page.wait_for_timeout(120)  # SortableJS looks every 50 ms: let it place the item there
    page.mouse.move(to_x, to_y, steps=2 if via else 20)
    if release:
        page.mouse.up()


def parent_name(draft, title):
    node = Node.objects.select_related("parent").get(draft=draft, arguments__title=title)
    return "(root)" if node.parent.is_root else node.parent.name


def test_a_drop_just_below_the_last_group_lands_in_the_root(page, live_server, nested_draft):
    page.goto(editor_url(live_server, nested_draft))
    tree = page.locator("#outline-form ul.tree").bounding_box()
    x = tree["x"] + tree["width"] / 2

    with page.expect_response(lambda r: "/move/" in r.url):
        drag(page, "Mover", x, tree["y"] + tree["height"] + 12)
    settled(page)

    assert parent_name(nested_draft, "Mover") == "(root)"
    assert root_titles(nested_draft) == ["Outer", "Tail", "Mover"]
    expect(item(page, "Mover")).to_have_attribute("aria-level", "1")


# From below, SortableJS can show the item first in Outer, above Inner, which pushes Inner's own row
# under the pointer: the release then decides by that row's halves (lower: first in Inner). This
# failed 3 times in 20 before. A quick release coming from above is not pinned: the item is shown
# in Outer above Inner, which moves "Only child" down, and the pointer then rests on the shown item
# itself, so it lands where it is shown.
@pytest.mark.parametrize(
    ("mover_first", "via"),
    [(True, None), (False, None), (False, "Tail job")],
    ids=["from-above", "from-below", "from-below-quick-release"],
)
@pytest.mark.parametrize("height", [0.75, 0.9])
def test_a_drop_on_the_lower_part_of_a_nested_groups_only_child_lands_in_that_group(
    page, live_server, browser_user, mover_first, height, via
):
    draft = make_nested(browser_user, mover_first=mover_first)
    page.goto(editor_url(live_server, draft))
    child = row(page, "Only child").bounding_box()

    with page.expect_response(lambda r: "/move/" in r.url):
        drag(page, "Mover", child["x"] + child["width"] / 2, child["y"] + child["height"] * height, via=via)
    settled(page)

    assert parent_name(draft, "Mover") == "Inner"
    expect(item(page, "Mover")).to_have_attribute("aria-level", "3")


def test_every_group_has_an_end_target_and_the_drag_shows_where_it_lands(page, live_server, nested_draft):
    page.goto(editor_url(live_server, nested_draft))
    inner_end = item(page, "Inner").locator(":scope > ul.children > .end-drop")
    root_end = page.locator("#outline-form ul.tree > .end-drop")
    expect(inner_end).to_be_hidden()

    box = inner_end.bounding_box()
    drag(page, "Mover", box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, release=False)
    expect(page.locator("#outline-form")).to_have_class("outline-form is-dragging")
    expect(inner_end).to_be_visible()
    expect(root_end).to_be_visible()
    expect(item(page, "Inner").locator(":scope > ul.children")).to_have_class("children drop-target")
    expect(page.locator("#outline-form .drop-target")).to_have_count(1)

    box = root_end.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=10)
    expect(page.locator("#outline-form ul.tree")).to_have_class("tree children drop-target")
    with page.expect_response(lambda r: "/move/" in r.url):
        page.mouse.up()
    settled(page)
    assert root_titles(nested_draft) == ["Outer", "Tail", "Mover"]
    expect(page.locator("#outline-form")).to_have_class("outline-form")


def test_a_save_after_someone_changed_another_field_keeps_both(page, live_server, flat_draft):
    job = Node.objects.get(draft=flat_draft, arguments__title="B")
    page.goto(editor_url(live_server, flat_draft, job))
    # Someone else writes the instructions meanwhile: a different field of the same job merges (issue 16).
    fresh = Draft.objects.get(pk=flat_draft.pk)
    other = {**job.arguments, "instructions": "Theirs: check the bank feed."}
    node_update(node=job, version=fresh.version, changes={"arguments": other})

    page.locator("#id_node-title").fill("B, mine")
    save = page.locator("#inspector").get_by_role("button", name="Save")
    response = wait_write(page, "/edit/", lambda: save.click())

    assert response.status == 200
    expect(page.get_by_role("alert")).to_have_count(0)
    job.refresh_from_db()
    assert job.arguments["title"] == "B, mine"
    assert job.arguments["instructions"] == "Theirs: check the bank feed."


def test_a_settings_save_after_someone_renamed_the_process_keeps_both(page, live_server, flat_draft):
    page.goto(editor_url(live_server, flat_draft))
    draft_update(draft=Draft.objects.get(pk=flat_draft.pk), version=flat_draft.version, changes={"name": "Their name"})
    page.locator("#settings-h").click()

    page.locator("#id_settings-due_date").fill("2026-12-31")
    # Leaving the field saves it: a different setting than theirs, so it merges (issue 16).
    response = wait_write(page, "/settings/", lambda: page.locator("#id_settings-due_date").press("Tab"))

    assert response.status == 200
    draft = Draft.objects.get(pk=flat_draft.pk)
    assert draft.name == "Their name"
    assert str(draft.due_date) == "2026-12-31"
