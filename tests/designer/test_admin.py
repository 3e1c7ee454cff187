from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from designer.models import Node
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_shows_a_draft_with_its_tree(staff_client, user):
    draft = make_draft(user, name="Close <b>Q4</b>")
    group = add_group(draft, root_of(draft), "Prep & <i>collect</i>")
    add_job(draft, group, "Tie <script>alert(1)</script>")

    response = staff_client.get(f"/admin/designer/draft/{draft.pk}/change/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Prep &amp; &lt;i&gt;collect&lt;/i&gt;" in body
    assert "Tie &lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_node_clean_refuses_a_loop_made_by_hand(user):
    draft = make_draft(user)
    outer = add_group(draft, root_of(draft), "Outer")
    inner = add_group(draft, outer, "Inner")
    outer.refresh_from_db()
    outer.parent = inner

    with pytest.raises(ValidationError, match="inside itself"):
        outer.full_clean()


def test_node_clean_refuses_a_job_parent_and_a_root_job(user):
    draft = make_draft(user)
    job = add_job(draft, root_of(draft), "Job")
    child = Node(draft=draft, parent=job, kind="job", job_type="sendTask")
    root_job = Node(draft=make_draft(user), kind="job", job_type="sendTask")

    with pytest.raises(ValidationError, match="A job cannot hold other nodes"):
        child.full_clean()
    with pytest.raises(ValidationError, match="root of a process must be a group"):
        root_job.clean()


def test_admin_draft_tree_nests_lists_without_inline_styles(staff_client, user):
    draft = make_draft(user, name="Close")
    group = add_group(draft, root_of(draft), "Prep")
    add_job(draft, group, "Tie out")
    add_job(draft, root_of(draft), "Sign")

    body = staff_client.get(f"/admin/designer/draft/{draft.pk}/change/").content.decode()

    tree = body[body.index('<ul class="draft-tree">') :]
    assert 'style="' not in body
    assert tree.index("Prep") < tree.index('<ul class="draft-tree"><li>• <a') < tree.index("Tie out")
    assert "</li></ul></li><li>• <a" in tree  # "Sign" closes Prep's list and is its sibling


def test_admin_lists_the_operation_log_read_only(staff_client, user):
    from designer.models import Operation

    draft = make_draft(user)
    add_group(draft, root_of(draft), "Prep <b>x</b>")
    op = Operation.objects.get(draft=draft)

    listing = staff_client.get("/admin/designer/operation/")
    detail = staff_client.get(f"/admin/designer/operation/{op.pk}/change/")

    assert listing.status_code == 200
    assert "addition of “Prep &lt;b&gt;x&lt;/b&gt;”" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
