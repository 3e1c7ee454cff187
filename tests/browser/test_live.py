"""Two (and three) people in one draft, in real Chromium contexts, over a real websocket.

The pages come from the ASGI application under uvicorn in a thread (tests/live/server.py,
``asgi_server``): pytest-django's ``live_server`` is WSGI only and has no websocket. The rest of
issue 16's tests (consumer, merge rules, catch-up) are in tests/live/.
"""

from __future__ import annotations

import os
import random
import re
import threading

import pytest
from channels.layers import channel_layers
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from designer.models import Membership, Node
from tests.browser.test_accessibility import axe_violations
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of
from tests.live.server import AsgiServer

pytestmark = pytest.mark.browser


@pytest.fixture
def asgi_server(transactional_db, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    server = AsgiServer()
    server.start()
    yield server
    server.stop()
    channel_layers.backends.clear()


@pytest.fixture
def world(asgi_server):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owens")
    editor = UserFactory(username="ed", first_name="Ed", last_name="Eriksen")
    third = UserFactory(username="tara", first_name="Tara", last_name="Tran")
    draft = make_draft(owner, "Quarter close")
    root = root_of(draft)
    close = add_group(draft, root, "Close")
    draft.refresh_from_db()
    add_job(draft, close, "Reconcile cash")
    draft.refresh_from_db()
    add_job(draft, close, "Reconcile bank")
    draft.refresh_from_db()
    add_job(draft, root, "Sign off")
    draft.refresh_from_db()
    Membership.objects.create(draft=draft, user=editor, role="editor")
    Membership.objects.create(draft=draft, user=third, role="editor")
    return {"owner": owner, "editor": editor, "third": third, "draft": draft, "server": asgi_server}


@pytest.fixture
def open_editor(browser, world):
    contexts = []

    def open_as(user, node=None, *, live=True, websocket=None, **options):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, reduced_motion="reduce", **options)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": world["server"].url}]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if not live:  # a proxy that drops websockets
            page.route_web_socket("**/ws/**", lambda ws: ws.close())
        elif websocket is not None:
            page.route_web_socket("**/ws/**", websocket)
        query = f"?node={node.key}" if node else ""
        page.goto(f"{world['server'].url}/drafts/{world['draft'].pk}/{query}", timeout=30_000)  # a busy machine
        expect(page.locator("#live-status")).to_have_attribute("data-state", "on" if live else "off")
        return page

    yield open_as
    for context in contexts:
        context.close()


class Held:
    """A websocket route that keeps the "changed" notices from the page until released (B has not
    heard of A's edit yet: the moment both saved)."""

    def __init__(self):
        self.holding = True
        self.sockets = []
        self.messages = []

    def route(self, ws):
        server = ws.connect_to_server()
        self.sockets.append(ws)

        def from_server(message):
            if self.holding and '"changed"' in str(message):
                self.messages.append((ws, message))
            else:
                ws.send(message)

        server.on_message(from_server)

    def release(self):
        self.holding = False
        for ws, message in self.messages:
            ws.send(message)


def item(page, label):
    return page.locator('[role="treeitem"]', has=page.locator(":scope > .row .label", has_text=label)).first


def labels(page):
    return page.locator('[role="treeitem"] > .row .label').all_inner_texts()


def settled(page):
    busy = ".htmx-request, .htmx-settling, .htmx-swapping, .editor[aria-busy='true']"
    page.wait_for_function(f'() => !document.querySelector("{busy}")')


def test_b_sees_a_rename_a_move_and_a_delete_without_reloading(open_editor, world):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    a = open_editor(world["owner"], cash)
    b = open_editor(world["editor"])

    a.locator("#id_node-title").fill("Reconcile petty cash")
    a.locator("#inspector").get_by_role("button", name="Save").click()
    expect(item(b, "Reconcile petty cash")).to_be_visible()

    item(a, "Reconcile bank").focus()
    a.keyboard.press("Alt+ArrowUp")
    settled(a)  # A's own answer first: its version is the one B must reach
    expect(b.locator("#workspace")).to_have_attribute(
        "data-version", a.locator("#workspace").get_attribute("data-version") or ""
    )
    expect(item(b, "Close").locator("ul.children > li > .row .label")).to_have_text(
        ["Reconcile bank", "Reconcile petty cash"]
    )

    item(a, "Sign off").locator(":scope > .row .label").click()
    expect(a.locator("#id_node-title")).to_have_value("Sign off")
    a.once("dialog", lambda dialog: dialog.accept())
    a.locator("#inspector").get_by_role("button", name="Delete").click()
    expect(item(b, "Sign off")).to_have_count(0)

    settled(b)
    assert labels(b) == labels(a) == ["Close", "Reconcile bank", "Reconcile petty cash"]
    b.reload()
    assert labels(b) == ["Close", "Reconcile bank", "Reconcile petty cash"]
    expect(b.get_by_role("alert")).to_have_count(0)


def test_rows_do_not_move_under_a_press_and_the_click_selects_the_row_pressed(open_editor, world):
    """B presses on a row; A's move would shift every row under B's pointer. B's outline waits until
    the press is released, the click selects the row B pressed, and only then do the rows follow."""
    sign_off = Node.objects.get(arguments__title="Sign off")
    a = open_editor(world["owner"], sign_off)
    b = open_editor(world["editor"])
    heard = []
    b.on("websocket", lambda ws: ws.on("framereceived", lambda frame: heard.append(str(frame))))
    b.reload()  # listen from the start
    expect(b.locator("#live-status")).to_have_attribute("data-state", "on")
    before = labels(b)
    target = item(b, "Reconcile cash").locator(":scope > .row .label")
    box = target.bounding_box()
    b.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    b.mouse.down()

    item(a, "Sign off").focus()
    a.keyboard.press("Alt+ArrowUp")  # Sign off to the top: every row below it shifts down one
    settled(a)
    version = a.locator("#workspace").get_attribute("data-version")
    deadline = 100
    while not any(f'"version": {version}' in f or f'"version":{version}' in f for f in heard) and deadline:
        b.wait_for_timeout(50)
        deadline -= 1
    assert deadline, f"B never heard of version {version}: {heard[-3:]}"
    b.wait_for_timeout(300)
    assert labels(b) == before  # held while pressed

    b.mouse.up()
    expect(b.locator("#id_node-title")).to_have_value("Reconcile cash")  # the row pressed, not the one shifted there
    expect(b.locator("#workspace")).to_have_attribute("data-version", version)
    settled(b)
    assert labels(b) == labels(a) == ["Sign off", "Close", "Reconcile cash", "Reconcile bank"]


def test_b_sees_who_is_here_what_they_selected_and_where_they_type(open_editor, world):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    b = open_editor(world["editor"])
    a = open_editor(world["owner"], cash)

    people = b.locator("#live-people")
    expect(people).to_contain_text("Olivia Owens")
    expect(item(b, "Reconcile cash").locator(":scope > .row .presence-marker")).to_have_text("Olivia Owens")
    a.locator("#id_node-title").focus()
    expect(people).to_contain_text("typing in")
    expect(people).to_contain_text("Reconcile cash")

    a.close()
    expect(people).not_to_contain_text("Olivia Owens")
    expect(b.locator(".presence-marker")).to_have_count(0)


def test_without_the_websocket_the_editor_works_and_says_live_updates_are_off(open_editor, world):
    page = open_editor(world["owner"], live=False)

    status = page.locator("#live-status")
    expect(status).to_contain_text("Live updates off")
    expect(status.get_by_role("button", name="Reload")).to_be_visible()
    page.locator(".add-bar").get_by_role("button", name="+ Group").click()
    expect(item(page, "New group")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_with_people_here_passes_axe(open_editor, world, scheme):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    open_editor(world["editor"], cash, color_scheme=scheme, bypass_csp=True)
    page = open_editor(world["owner"], cash, color_scheme=scheme, bypass_csp=True)
    expect(page.locator("#live-people")).to_contain_text("Ed Eriksen")
    expect(page.locator(".presence-marker")).to_have_count(1)

    assert axe_violations(page) == []


def test_same_moment_edits_of_different_jobs_both_land_without_a_conflict(open_editor, world):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    bank = Node.objects.get(arguments__title="Reconcile bank")
    # B's page hears of A's save only after B saved too: both edits are based on one version.
    held = Held()
    a = open_editor(world["owner"], cash)
    b = open_editor(world["editor"], bank, websocket=held.route)
    a.locator("#id_node-title").fill("Reconcile cash (A)")
    b.locator("#id_node-title").fill("Reconcile bank (B)")

    with a.expect_response(lambda r: "/edit/" in r.url) as saved_a:
        a.locator("#inspector").get_by_role("button", name="Save").click()
    with b.expect_response(lambda r: "/edit/" in r.url) as saved_b:
        b.locator("#inspector").get_by_role("button", name="Save").click()
    held.release()

    posted = [re.search(r"(?:^|&)version=(\d+)", r.value.request.post_data or "").group(1) for r in (saved_a, saved_b)]
    assert posted[0] == posted[1]  # the same moment: both based on the same version
    assert (saved_a.value.status, saved_b.value.status) == (200, 200)
    for page in (a, b):
        expect(item(page, "Reconcile cash (A)")).to_be_visible()
        expect(item(page, "Reconcile bank (B)")).to_be_visible()
        expect(page.get_by_role("alert")).to_have_count(0)
    assert sorted(n.arguments["title"] for n in Node.objects.filter(kind="job")) == [
        "Reconcile bank (B)",
        "Reconcile cash (A)",
        "Sign off",
    ]


def test_both_edit_the_same_field_and_the_second_sees_both_values_to_choose(open_editor, world):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    held = Held()
    a = open_editor(world["owner"], cash)
    b = open_editor(world["editor"], cash, websocket=held.route)
    a.locator("#id_node-title").fill("Cash (Olivia)")
    b.locator("#id_node-title").fill("Cash (Ed)")

    with a.expect_response(lambda r: "/edit/" in r.url):
        a.locator("#inspector").get_by_role("button", name="Save").click()
    with b.expect_response(lambda r: "/edit/" in r.url) as refused:
        b.locator("#inspector").get_by_role("button", name="Save").click()
    held.release()

    assert refused.value.status == 409
    alert = b.get_by_role("alert").first
    expect(alert).to_contain_text("Olivia Owens changed “Title” of “Cash (Olivia)” while you were editing it")
    expect(alert).to_contain_text("(it is now “Cash (Olivia)”)")
    expect(b.locator("#id_node-title")).to_have_value("Cash (Ed)")  # theirs in the message, mine in the form
    expect(item(b, "Cash (Olivia)")).to_be_visible()
    with b.expect_response(lambda r: "/edit/" in r.url) as chosen:
        b.locator("#inspector").get_by_role("button", name="Save").click()
    assert chosen.value.status == 200
    expect(item(a, "Cash (Ed)")).to_be_visible()
    assert Node.objects.get(pk=cash.pk).arguments["title"] == "Cash (Ed)"


def test_three_editors_see_each_others_presence_and_changes_and_agree_with_a_fresh_load(open_editor, world):
    cash = Node.objects.get(arguments__title="Reconcile cash")
    bank = Node.objects.get(arguments__title="Reconcile bank")
    sign = Node.objects.get(arguments__title="Sign off")
    a = open_editor(world["owner"], cash)
    b = open_editor(world["editor"], bank)
    c = open_editor(world["third"], sign)

    # Each sees the two others, and a marker on the row each has selected.
    for page, others in (
        (a, ("Ed Eriksen", "Tara Tran")),
        (b, ("Olivia Owens", "Tara Tran")),
        (c, ("Olivia Owens", "Ed Eriksen")),
    ):
        for name in others:
            expect(page.locator("#live-people")).to_contain_text(name)
    expect(item(c, "Reconcile cash").locator(":scope > .row .presence-marker")).to_have_text("Olivia Owens")
    expect(item(a, "Sign off").locator(":scope > .row .presence-marker")).to_have_text("Tara Tran")

    # A renames, B moves, C adds a group: each change reaches the two others without a reload.
    a.locator("#id_node-title").fill("Reconcile petty cash")
    a.locator("#inspector").get_by_role("button", name="Save").click()
    item(b, "Reconcile bank").focus()
    b.keyboard.press("Alt+ArrowUp")
    c.locator(".add-bar").get_by_role("button", name="+ Group").click()
    expected = ["Close", "Reconcile bank", "Reconcile petty cash", "Sign off", "New group"]
    for page in (a, b, c):
        expect(page.locator('[role="treeitem"] > .row .label')).to_have_text(expected)
        settled(page)
        expect(page.get_by_role("alert")).to_have_count(0)
    version = c.locator("#workspace").get_attribute("data-version") or ""
    for page in (a, b):
        expect(page.locator("#workspace")).to_have_attribute("data-version", version)

    # C leaves: A and B stop showing C within seconds; the outline of a fresh load is the same.
    c.close()
    for page in (a, b):
        expect(page.locator("#live-people")).not_to_contain_text("Tara Tran")
    b.reload()
    assert labels(b) == labels(a) == expected


def test_two_editors_random_operations_at_once_leave_both_outlines_equal_to_the_database(open_editor, world):
    """The soak in the browser: two editors interleave random adds, renames, moves, deletes and undos,
    each acting while the other's request may still be in flight; afterwards both outlines, the
    database and a fresh load agree, and no write was answered with anything but applied or refused."""
    from designer.models import Draft, Operation
    from tests.live.soak import tree_order

    rng = random.Random(int(os.environ.get("LIVE_SOAK_SEED", "16")))
    steps = int(os.environ.get("LIVE_BROWSER_SOAK_OPS", "24"))
    pages = [open_editor(world["owner"]), open_editor(world["editor"])]
    answers: list[list[int]] = [[], []]
    for n, page in enumerate(pages):
        page.on("dialog", lambda dialog: dialog.accept())
        page.on(
            "response",
            lambda r, n=n: answers[n].append(r.status) if r.request.method == "POST" and "/drafts/" in r.url else None,
        )

    for step in range(steps):
        page = pages[step % 2]
        settled(page)  # this editor's previous request answered; the other's may still be in flight
        rows = page.locator('[role="treeitem"]')
        jobs = page.locator('[role="treeitem"].job')
        kind = rng.choice(["add", "add", "rename", "move", "move", "delete", "undo"])
        if kind == "add" or rows.count() < 3:
            page.locator(".add-bar button").nth(rng.choice([0, 1, 1])).click()
        elif kind == "rename" and jobs.count():
            job = jobs.nth(rng.randrange(jobs.count()))
            key = job.get_attribute("data-key")
            job.locator(":scope > .row .label").click()
            title = page.locator("#id_node-title")
            try:
                title.wait_for(timeout=8000)
            except PlaywrightTimeout:
                # The other editor's change moved the rows as the click landed (the click selected
                # another row: a group has no title), or deleted the job. Anything else is a failure.
                from designer.models import Node

                selected = page.locator("#selected-key").input_value()
                assert selected != key or not Node.objects.filter(key=key).exists(), (
                    f"the inspector of job {key} did not open: " + page.locator("#inspector").inner_text()[:200]
                )
                continue
            title.fill(f"Job {step}")
            page.locator("#inspector").get_by_role("button", name="Save").click()
        elif kind == "delete" and jobs.count():
            jobs.nth(rng.randrange(jobs.count())).focus()
            page.keyboard.press("Delete")
        elif kind == "undo":
            page.locator("body").focus()
            page.keyboard.press("Control+z")
        else:
            rows.nth(rng.randrange(rows.count())).focus()
            page.keyboard.press(rng.choice(["Alt+ArrowUp", "Alt+ArrowDown", "Alt+ArrowRight", "Alt+ArrowLeft"]))

    for page in pages:
        settled(page)
    draft = Draft.objects.get(pk=world["draft"].pk)
    order, wrong = tree_order(draft)
    assert wrong == []
    for page in pages:
        expect(page.locator("#workspace")).to_have_attribute("data-version", str(draft.version))
        settled(page)
    keys = [page.locator('[role="treeitem"]').evaluate_all("els => els.map(e => e.dataset.key)") for page in pages]
    assert keys[0] == keys[1] == order
    pages[1].reload()
    assert pages[1].locator('[role="treeitem"]').evaluate_all("els => els.map(e => e.dataset.key)") == order
    # Every write was answered applied (200) or refused with a message (404, 409, 422); each editor's
    # applied writes are in the log under its user (an autosave that changed nothing logs nothing).
    for n, user in enumerate((world["owner"], world["editor"])):
        assert set(answers[n]) <= {200, 404, 409, 422}, answers[n]
        logged = Operation.objects.filter(draft=draft, actor=user).count()
        assert 0 < logged <= answers[n].count(200)


def in_thread(function, **kwargs):
    """Run a service as another request would: off this thread, whose event loop is Playwright's
    (a notice sent from here could not reach the channel layer)."""
    result = []
    worker = threading.Thread(target=lambda: result.append(function(**kwargs)))
    worker.start()
    worker.join()
    return result[0]


def test_comment_markers_on_rows_follow_comments_made_and_resolved_elsewhere(open_editor, world):
    from designer.services.comments import comment_create, comment_resolve

    cash = Node.objects.get(arguments__title="Reconcile cash")
    page = open_editor(world["editor"])
    marker = item(page, "Reconcile cash").locator(":scope > .row > .comment-marker")
    expect(marker).to_have_count(0)

    first = in_thread(
        comment_create, draft=world["draft"], actor=world["third"], body="Which <b>account</b>?", node_key=cash.key
    )
    expect(marker).to_have_text("1")
    expect(marker).to_have_attribute("aria-label", "1 open comment")
    in_thread(comment_create, draft=world["draft"], actor=world["owner"], body="And the date?", node_key=cash.key)
    expect(marker).to_have_text("2")
    in_thread(comment_resolve, comment=first, actor=world["owner"])
    expect(marker).to_have_text("1")
    marker.click()  # the marker is the review page's link to the node's threads
    expect(page).to_have_url(re.compile(rf"/review/\?node={cash.key}#comments$"))
