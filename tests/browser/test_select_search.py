"""Multi-select, search and filter, collapse all and the shortcut sheet, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from tests.browser.test_accessibility import AXE, RUN_AXE, _context
from tests.browser.test_editor import editor_url, item, settled, wait_write
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser


def structure(draft):
    tree = draft_tree(draft=Draft.objects.get(pk=draft.pk))
    return ["  " * (depth - 1) + node.label for node, depth in tree.walk()][1:]


@pytest.fixture
def close(browser_user):
    """Bank (Cash, Payables, Receivables), Tax (VAT, Payroll tax), Sign off."""
    draft = make_draft(browser_user, name="Close")
    root = root_of(draft)
    bank = add_group(draft, root, "Bank")
    add_job(draft, bank, "Cash", instructions="Tie out account 1150", assigneeUser="userId7", dueDate="2026-03-10")
    add_job(draft, bank, "Payables", dueDate="2026-03-20")
    add_job(draft, bank, "Receivables", dueDate="2026-03-30")
    tax = add_group(draft, root, "Tax")
    add_job(draft, tax, "VAT")
    add_job(draft, tax, "Payroll tax", job_type="certification")
    add_job(draft, root, "Sign off")
    draft.refresh_from_db()
    return draft


def selected_labels(page):
    return page.locator('[role="treeitem"][aria-selected="true"] > .row .label').all_inner_texts()


def test_select_three_jobs_across_two_groups_move_them_in_one_request_then_delete_them(page, live_server, close):
    page.goto(editor_url(live_server, close))
    expect(page.locator('[role="tree"]')).to_have_attribute("aria-multiselectable", "true")

    item(page, "Payables").locator(":scope > .row .label").click()
    settled(page)
    item(page, "Receivables").locator(":scope > .row .label").click(modifiers=["Shift"])  # a range
    item(page, "VAT").locator(":scope > .row .label").click(modifiers=["Control"])  # another group
    assert selected_labels(page) == ["Payables", "Receivables", "VAT"]
    expect(page.locator("#selection-status")).to_have_text("3 items selected")
    # Ctrl-click toggles: off and on again
    item(page, "VAT").locator(":scope > .row .label").click(modifiers=["Control"])
    assert selected_labels(page) == ["Payables", "Receivables"]
    item(page, "VAT").locator(":scope > .row .label").click(modifiers=["Control"])
    assert selected_labels(page) == ["Payables", "Receivables", "VAT"]

    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    wait_write(page, "/nodes/move-many/", lambda: page.keyboard.press("Alt+ArrowDown"))  # focus is on VAT

    # Led by VAT (the last), the block goes after Payroll tax, in document order.
    assert structure(close) == [
        "Bank",
        "  Cash",
        "Tax",
        "  Payroll tax",
        "  Payables",
        "  Receivables",
        "  VAT",
        "Sign off",
    ]
    assert [url for url in posts if "/nodes/" in url] == [f"{live_server.url}/drafts/{close.pk}/nodes/move-many/"]
    assert selected_labels(page) == ["Payables", "Receivables", "VAT"]  # the selection stays
    labels = page.locator('[role="treeitem"] > .row .label').all_inner_texts()
    assert labels == ["Bank", "Cash", "Tax", "Payroll tax", "Payables", "Receivables", "VAT", "Sign off"]
    expect(page.locator(":focus")).to_contain_text("VAT")

    page.once("dialog", lambda dialog: dialog.accept())
    wait_write(page, "/nodes/delete-many/", lambda: page.keyboard.press("Delete"))

    assert structure(close) == ["Bank", "  Cash", "Tax", "  Payroll tax", "Sign off"]
    labels = page.locator('[role="treeitem"] > .row .label').all_inner_texts()
    assert labels == ["Bank", "Cash", "Tax", "Payroll tax", "Sign off"]
    expect(page.locator("#flash")).to_contain_text("Deleted 3 items.")

    wait_write(page, "/undo/", lambda: page.locator("#flash").get_by_role("button", name="Undo").click())
    assert structure(close) == [
        "Bank",
        "  Cash",
        "Tax",
        "  Payroll tax",
        "  Payables",
        "  Receivables",
        "  VAT",
        "Sign off",
    ]


def test_keyboard_selection_shift_arrows_ctrl_a_and_escape(page, live_server, close):
    page.goto(editor_url(live_server, close))
    item(page, "Cash").locator(":scope > .row .label").click()
    settled(page)

    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    assert selected_labels(page) == ["Cash", "Payables", "Receivables"]
    page.keyboard.press("Shift+ArrowUp")
    assert selected_labels(page) == ["Cash", "Payables"]
    expect(page.locator("#selection-status")).to_have_text("2 items selected")
    expect(page.get_by_role("button", name="Delete selected")).to_be_visible()

    page.keyboard.press("Control+a")
    assert len(selected_labels(page)) == 8
    page.keyboard.press("Escape")
    assert selected_labels(page) == []
    expect(page.locator("#selection-status")).to_have_text("")
    expect(page.get_by_role("button", name="Delete selected")).to_be_hidden()
    expect(page.get_by_role("button", name="Clear selection")).to_be_hidden()


def test_drag_a_selected_item_takes_the_selection_along(page, live_server, close):
    page.goto(editor_url(live_server, close))
    item(page, "Cash").locator(":scope > .row .label").click()
    settled(page)
    item(page, "Payables").locator(":scope > .row .label").click(modifiers=["Control"])

    handle = item(page, "Cash").locator(":scope > .row .handle")
    target = item(page, "Sign off").locator(":scope > .row")

    def drag():
        box = handle.bounding_box()
        end = target.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        for step in range(1, 13):
            page.mouse.move(box["x"] + 5, box["y"] + (end["y"] + end["height"] * 0.85 - box["y"]) * step / 12)
            page.wait_for_timeout(60)
        page.mouse.up()

    wait_write(page, "/nodes/move-many/", drag)
    assert structure(close)[-3:] == ["Sign off", "Cash", "Payables"]


def test_search_finds_a_job_in_a_collapsed_group_and_steps_to_it(page, live_server, close):
    page.goto(editor_url(live_server, close))
    item(page, "Bank").locator(":scope > .row .toggle").click()
    expect(item(page, "Bank")).to_have_attribute("aria-expanded", "false")
    expect(item(page, "Cash")).to_be_hidden()

    item(page, "Tax").focus()
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search the outline")
    expect(search).to_be_focused()
    search.fill("1150")  # in Cash's instructions, not its title
    expect(page.locator("#search-count")).to_have_text("1 match")
    search.press("Enter")

    expect(page.locator("#search-count")).to_have_text("1 of 1")
    expect(item(page, "Bank")).to_have_attribute("aria-expanded", "true")
    expect(item(page, "Cash")).to_be_visible()
    expect(item(page, "Cash")).to_have_class("node job jt-sendTask search-hit search-current")

    search.fill("tax")  # the group Tax and the job Payroll tax
    expect(page.locator("#search-count")).to_have_text("2 matches")
    search.press("Enter")
    expect(page.locator("#search-count")).to_have_text("1 of 2")
    search.press("Enter")
    expect(page.locator("#search-count")).to_have_text("2 of 2")
    search.press("Shift+Enter")
    expect(page.locator("#search-count")).to_have_text("1 of 2")
    search.press("Escape")
    expect(page.locator(":focus")).to_have_attribute("data-key", str(Node.objects.get(name="Tax").key))

    search.fill("userid7")  # the assignee, by id
    expect(page.locator("#search-count")).to_have_text("1 match")
    page.keyboard.press("Control+f")
    expect(search).to_be_focused()


def test_only_matches_and_filters(page, live_server, close):
    page.goto(editor_url(live_server, close))
    search = page.get_by_role("searchbox", name="Search the outline")
    search.fill("cash")
    expect(page.locator("#search-count")).to_have_text("1 match")
    page.get_by_label("Show only matches").check()

    visible = page.locator('[role="treeitem"]:visible > .row .label')
    expect(visible).to_have_text(["Bank", "Cash"])  # the match and its group
    page.get_by_label("Show only matches").uncheck()
    expect(visible).to_have_count(8)

    search.fill("")
    page.locator("#search-filters > summary").click()
    page.get_by_label("Due after").fill("2026-03-15")
    expect(page.locator("#search-count")).to_have_text("2 matches")  # Payables, Receivables
    page.get_by_label("Due before").fill("2026-03-25")
    expect(page.locator("#search-count")).to_have_text("1 match")
    page.get_by_label("Due after").fill("")
    page.get_by_label("Due before").fill("")
    page.get_by_label("Job type").select_option("certification")
    expect(page.locator("#search-count")).to_have_text("1 match")
    page.get_by_label("Show only matches").check()  # a click outside closes the filters' popup
    expect(visible).to_have_text(["Tax", "Payroll tax"])
    expect(page.get_by_label("Job type")).to_be_hidden()
    page.get_by_label("Show only matches").uncheck()
    page.locator("#search-filters > summary").click()
    page.get_by_label("Job type").select_option("")
    with_problems = page.locator("#outline-form .row > .badges").count()
    assert with_problems  # the certification has no letter
    page.get_by_label("Has problems").check()
    expect(page.locator("#search-count")).to_have_text(f"{with_problems} match" + ("es" if with_problems > 1 else ""))


def test_collapse_and_expand_all(page, live_server, close):
    page.goto(editor_url(live_server, close))
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator('li.group[aria-expanded="true"]')).to_have_count(0)
    expect(item(page, "Cash")).to_be_hidden()
    page.reload()  # remembered
    expect(page.locator('li.group[aria-expanded="true"]')).to_have_count(0)
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator('li.group[aria-expanded="false"]')).to_have_count(0)
    expect(item(page, "Cash")).to_be_visible()


def test_the_shortcut_sheet_opens_and_closes_by_keyboard(page, live_server, close):
    page.goto(editor_url(live_server, close))
    item(page, "Cash").locator(":scope > .row .label").click()
    settled(page)
    page.keyboard.press("Shift+?")

    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(sheet).to_be_visible()
    for text in ("Undo", "Redo", "Copy the selection", "Cut the selection", "Paste after the focused item"):
        expect(sheet.get_by_text(text, exact=True)).to_be_visible()
    expect(sheet.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(page.locator(":focus")).to_contain_text("Cash")  # back where it was opened

    page.get_by_role("button", name="Shortcuts").click()
    expect(sheet).to_be_visible()
    page.keyboard.press("Enter")  # the focused Close button
    expect(sheet).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_with_a_multi_selection_and_an_active_search(browser, live_server, close, scheme):
    context = _context(browser, live_server, scheme, user=close.owner)
    page = context.new_page()
    try:
        page.goto(editor_url(live_server, close))
        item(page, "Cash").locator(":scope > .row .label").click()
        settled(page)
        item(page, "VAT").locator(":scope > .row .label").click(modifiers=["Control"])
        page.get_by_role("searchbox", name="Search the outline").fill("a")
        page.get_by_label("Show only matches").check()
        page.locator("#search-filters > summary").click()
        expect(page.locator("#selection-status")).to_have_text("2 items selected")
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        assert violations == []
        page.get_by_label("Job type").focus()
        page.keyboard.press("Escape")  # closes the filters' popup
        expect(page.get_by_label("Job type")).to_be_hidden()
        page.get_by_role("button", name="Shortcuts").click()
        assert page.evaluate(RUN_AXE) == []
    finally:
        context.close()


def test_a_large_selection_moves_in_one_request_answered_with_the_whole_workspace(page, live_server, browser_user):
    draft = make_draft(browser_user, name="Big")
    root = root_of(draft)
    group = add_group(draft, root, "Phase")
    for i in range(30):
        add_job(draft, group, f"Job {i:02d}")
    draft.refresh_from_db()
    page.goto(editor_url(live_server, draft))
    item(page, "Job 00").locator(":scope > .row .label").click()
    settled(page)
    item(page, "Job 27").locator(":scope > .row .label").click(modifiers=["Shift"])
    expect(page.locator("#selection-status")).to_have_text("28 items selected")
    item(page, "Job 27").focus()

    response = wait_write(page, "/nodes/move-many/", lambda: page.keyboard.press("Alt+ArrowDown"))

    assert 'id="workspace"' in response.text()  # more than a patch is worth: the whole workspace
    titles = [label for label in structure(draft) if label.startswith("  ")]
    assert titles == ["  Job 28"] + [f"  Job {i:02d}" for i in range(28)] + ["  Job 29"]
    expect(page.locator("#selection-status")).to_have_text("28 items selected")  # kept
    expect(page.locator(":focus")).to_contain_text("Job 27")  # the keyboard stays on its item


def test_ctrl_space_toggles_and_delete_removes_the_focused_item_after_asking(page, live_server, close):
    page.goto(editor_url(live_server, close))
    item(page, "Cash").locator(":scope > .row .label").click()
    settled(page)
    page.keyboard.press("ArrowDown")  # focus moves, the selection stays
    assert selected_labels(page) == ["Cash"]
    page.keyboard.press("Control+Space")
    assert selected_labels(page) == ["Cash", "Payables"]
    page.keyboard.press("Control+Space")
    assert selected_labels(page) == ["Cash"]

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("Delete")  # the focused item, not in the selection: only it
    assert questions == ["Delete “Payables”? You can undo this."]
    assert "Payables" in structure(close)[2]  # dismissed: nothing deleted

    page.once("dialog", lambda dialog: dialog.accept())
    wait_write(page, "/nodes/delete-many/", lambda: page.keyboard.press("Delete"))
    assert structure(close) == ["Bank", "  Cash", "  Receivables", "Tax", "  VAT", "  Payroll tax", "Sign off"]
    expect(page.locator(":focus")).to_have_attribute("role", "treeitem")  # the keyboard stays in the outline


def test_typing_on_narrows_the_previous_matches_and_deleting_widens_again(page, live_server, close):
    page.goto(editor_url(live_server, close))
    search = page.get_by_role("searchbox", name="Search the outline")
    page.get_by_label("Show only matches").check()
    visible = page.locator('[role="treeitem"]:visible > .row .label')
    count = page.locator("#search-count")

    def scanned():
        return page.evaluate("window.PD.search.stats.scanned")

    search.fill("pay")
    expect(count).to_have_text("2 matches")
    expect(visible).to_have_text(["Bank", "Payables", "Tax", "Payroll tax"])
    search.press("r")  # "payr": only the two matches of "pay" are searched again
    expect(count).to_have_text("1 match")
    assert scanned() == 2
    expect(visible).to_have_text(["Tax", "Payroll tax"])
    search.press("Backspace")  # "pay" again: a shorter query searches everything
    expect(count).to_have_text("2 matches")
    assert scanned() == page.evaluate("document.querySelectorAll('#outline-form [role=treeitem]').length")
    expect(visible).to_have_text(["Bank", "Payables", "Tax", "Payroll tax"])
    search.press_sequentially(" tax")  # a word more narrows too
    expect(count).to_have_text("1 match")
    expect(visible).to_have_text(["Tax", "Payroll tax"])
    search.fill("cash")  # not an extension: everything is searched, the rows shown follow
    expect(count).to_have_text("1 match")
    expect(visible).to_have_text(["Bank", "Cash"])
    search.fill("")
    expect(visible).to_have_count(8)
