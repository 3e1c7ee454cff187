"""A change's patch rendered once and pushed with its notice (live/push.py): to the editors only, with
nothing of any one person in it, and not at all when it is large or the draft moved on."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from designer.models import Draft
from designer.services.nodes import node_update
from live.push import pushed_patch
from tests.live.conftest import communicator
from tests.live.test_consumer import receive_type, run

pytestmark = pytest.mark.django_db(transaction=True)


def rename(team, title):
    draft = Draft.objects.get(pk=team["draft"].pk)
    node_update(node=team["job"], version=draft.version, changes={"arguments": {"title": title}})
    return Draft.objects.get(pk=draft.pk).version


def test_the_patch_of_one_change_holds_its_rows_and_nothing_of_anyone(team):
    after = rename(team, "Reconcile <b>cash</b>")
    pushed = pushed_patch(draft_id=team["draft"].pk, since=after - 1, version=after)
    assert pushed is not None
    assert 'id="outline-patch"' in pushed.html
    assert f'data-version="{after}"' in pushed.html
    assert "Reconcile &lt;b&gt;cash&lt;/b&gt;" in pushed.html  # escaped like every row
    assert "<b>cash" not in pushed.html
    assert 'data-selected=""' in pushed.html  # the watcher's own selection is kept by the editor
    assert 'id="undo-bar"' not in pushed.html  # another editor's Undo is their own
    assert 'id="inspector"' not in pushed.html
    assert team["job"].key in pushed.touched


def test_nothing_is_pushed_once_the_draft_moved_on_or_for_a_large_change(team, settings):
    first = rename(team, "Reconcile cash")
    rename(team, "Reconcile bank")
    assert pushed_patch(draft_id=team["draft"].pk, since=first - 1, version=first) is None  # moved on

    settings.LIVE_PUSH_MAX_NODES = 0
    now = Draft.objects.get(pk=team["draft"].pk).version
    assert pushed_patch(draft_id=team["draft"].pk, since=now - 1, version=now) is None

    settings.LIVE_PUSH_MAX_NODES = 50
    settings.LIVE_PUSH_MAX_BYTES = 100
    assert pushed_patch(draft_id=team["draft"].pk, since=now - 1, version=now) is None


def test_editors_get_the_patch_with_the_notice_and_viewers_only_the_notice(team):
    draft = team["draft"]

    async def body():
        editor = await communicator(draft.pk, team["editor"])
        viewer = await communicator(draft.pk, team["viewer"])
        for ws in (editor, viewer):
            ok, _ = await ws.connect(timeout=5)
            assert ok
            await receive_type(ws, "hello")
        version = await database_sync_to_async(rename)(team, "Reconcile cash")
        to_editor = await receive_type(editor, "changed")
        to_viewer = await receive_type(viewer, "changed")
        assert to_editor["version"] == to_viewer["version"] == version
        assert to_editor["since"] == version - 1
        assert 'id="outline-patch"' in to_editor["patch"]
        assert str(team["job"].key) in to_editor["touched"]
        assert "patch" not in to_viewer
        for ws in (editor, viewer):
            await ws.disconnect(timeout=5)

    run(body)


def test_a_change_too_large_to_push_is_announced_all_the_same(team, settings):
    settings.LIVE_PUSH_MAX_NODES = 0
    draft = team["draft"]

    async def body():
        editor = await communicator(draft.pk, team["editor"])
        ok, _ = await editor.connect(timeout=5)
        assert ok
        await receive_type(editor, "hello")
        version = await database_sync_to_async(rename)(team, "Reconcile cash")
        changed = await receive_type(editor, "changed")
        assert changed["version"] == version
        assert "patch" not in changed  # the editor fetches it, as without pushing
        await editor.disconnect(timeout=5)

    run(body)
