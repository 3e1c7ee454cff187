"""The directory in the editor: pickers named in the inspector (escaped), warnings once it is filled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from designer.forms import JobForm, PickedIdField
from designer.picks import directory_problems, payload_notes
from designer.selectors.trees import draft_tree
from processes_api import schema
from tests.directory.fill import add_file, add_user, small_directory
from tests.factories import add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def test_every_user_file_and_section_argument_is_a_picker():
    for jt in schema.EDITABLE_JOB_TYPES:
        form = JobForm(job_type=jt, arguments={})
        for arg in jt.fields:
            picked = isinstance(form.fields[arg.name], PickedIdField)
            assert picked == (arg.kind in schema.PICKED_KINDS), (jt.name, arg.name)
    section = schema.JOB_TYPES["contentRequest"].field_map["section"]
    assert (section.kind, section.within) == ("section", "document")


def test_the_inspector_names_the_picked_people_escaped(client, user):
    add_user("u-1", "<b>Ada</b> & co", "ada@example.com")
    draft = make_draft(user)
    job = add_job(draft, root_of(draft), "Collect", assigneeUser="u-1", approverUser="u-404")
    client.force_login(user)

    html = client.get(reverse("draft-editor", args=[draft.pk]), {"node": job.key}).content.decode()

    assert 'data-picker-label="&lt;b&gt;Ada&lt;/b&gt; &amp; co"' in html
    assert "&lt;b&gt;Ada&lt;/b&gt; &amp; co · ada@example.com</p>" in html
    assert "<b>Ada</b>" not in html
    assert "Not in the directory: unverified id" in html
    assert "Approver &quot;u-404&quot; is not a person in the Workiva directory (unverified id)." in html


def test_an_empty_directory_checks_nothing(user):
    draft = make_draft(user)
    add_job(draft, root_of(draft), "Collect", assigneeUser="anyone")

    assert directory_problems(draft_tree(draft=draft)) == []
    form = JobForm(job_type=schema.JOB_TYPES["sendTask"], arguments={"assigneeUser": "anyone"})
    assert form.fields["assigneeUser"].picked["state"] == "unchecked"


def test_unknown_ids_are_warnings_and_suspended_users_errors_once_filled(user):
    world = small_directory()
    draft = make_draft(user)
    root = root_of(draft)
    ok = add_job(draft, root, "Fine", assigneeUser=world["ada"].workiva_id)
    draft.refresh_from_db()
    gone = add_job(draft, root, "Gone", assigneeUser=world["sam"].workiva_id, approverUser="new-hire")
    draft.refresh_from_db()
    content = add_job(
        draft,
        root,
        "Content",
        job_type="contentRequest",
        assignee={"id": world["grace"].workiva_id, "type": "user"},
        document="f" * 32,
        section="whatever_1",
    )

    problems = directory_problems(draft_tree(draft=draft))

    assert [(p.severity, p.code, p.node_key, p.field) for p in problems] == [
        ("error", "directory-suspended-user", gone.key, "assigneeUser"),
        ("warning", "directory-unknown-user", gone.key, "approverUser"),
        ("warning", "directory-unknown-file", content.key, "document"),
    ]
    assert problems[0].message == "Assignee Sam Suspended is suspended in Workiva: the job would go to nobody."
    assert ok.key not in {p.node_key for p in problems}


def test_the_inspector_lists_the_same_warnings_as_the_draft(client, user):
    world = small_directory()
    draft = make_draft(user)
    job = add_job(draft, root_of(draft), "Gone", assigneeUser=world["sam"].workiva_id)
    client.force_login(user)

    html = client.get(reverse("draft-editor", args=[draft.pk]), {"node": job.key}).content.decode()

    message = "Assignee Sam Suspended is suspended in Workiva: the job would go to nobody."
    assert html.count(message) == 2  # the inspector's list and the problems panel
    assert "Sam Suspended · suspended in Workiva" in html


def test_a_picked_id_is_saved_as_the_id_and_a_name_with_spaces_is_refused(client, user):
    world = small_directory()
    draft = make_draft(user)
    job = add_job(draft, root_of(draft), "Collect", assigneeUser="")
    client.force_login(user)
    url = reverse("node-edit", args=[draft.pk, job.key])
    hx = {"HX-Request": "true"}

    def post(value, version):
        data = {
            "version": version,
            "node-based": "1",
            "node-title": "Collect",
            "initial-node-title": "Collect",
            "node-assigneeUser": value,
            "initial-node-assigneeUser": "",
            "autosave": "1",
        }
        return client.post(url, data, headers=hx)

    refused = post("Ada Lovelace", draft.version)
    accepted = post(world["ada"].workiva_id, draft.version)

    assert refused.status_code == 422
    assert "Choose a person from the list, or enter a Workiva user id" in refused.headers["HX-Trigger"]
    assert accepted.status_code == 200
    job.refresh_from_db()
    assert job.arguments["assigneeUser"] == world["ada"].workiva_id


def test_outline_rows_show_assignees_by_name_and_keep_unknown_ids(client, user):
    world = small_directory()
    draft = make_draft(user)
    root = root_of(draft)
    add_job(draft, root, "Known", assigneeUser=world["markup"].workiva_id)
    draft.refresh_from_db()
    add_job(draft, root, "Unknown", assigneeUser="userId999")
    client.force_login(user)

    html = client.get(reverse("draft-editor", args=[draft.pk])).content.decode()

    assert (
        f'<span class="meta assignee" title="Assignee ({world["markup"].workiva_id})">'
        "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt; Eve</span>"
    ) in html
    assert '<span class="meta assignee" title="Assignee">userId999</span>' in html


def test_the_revisions_diff_names_the_people_it_changes(client, user):
    from designer.services.nodes import node_update
    from designer.services.revisions import revision_save_point

    world = small_directory()
    draft = make_draft(user)
    job = add_job(draft, root_of(draft), "Collect", assigneeUser=world["ada"].workiva_id)
    draft.refresh_from_db()
    revision_save_point(draft=draft, actor=user)
    draft.refresh_from_db()
    arguments = dict(job.arguments, assigneeUser=world["grace"].workiva_id, approverUser="new-hire")
    node_update(node=job, version=draft.version, changes={"arguments": arguments})
    draft.refresh_from_db()
    revision_save_point(draft=draft, actor=user)
    client.force_login(user)

    html = client.get(reverse("review-diff", args=[draft.pk]), {"a": 1, "b": 2}).content.decode()

    assert f'<td class="before">Ada Lovelace ({world["ada"].workiva_id})</td>' in html
    assert f'<td class="after">Grace Hopper ({world["grace"].workiva_id})</td>' in html
    assert '<td class="after">new-hire</td>' in html


def test_a_section_not_of_its_document_is_flagged_once_the_documents_sections_are_known(user):
    world = small_directory()
    tenq, deck = world["tenq"], world["deck"]
    other = add_file("c" * 32, "Annual report", sections=("Letter", "Risk factors"))
    draft = make_draft(user)
    root = root_of(draft)
    grace = {"id": world["grace"].workiva_id, "type": "user"}

    def content(title, document, section):
        job = add_job(draft, root, title, job_type="contentRequest", assignee=grace, document=document, section=section)
        draft.refresh_from_db()
        return job

    fine = content("Fine", tenq.workiva_id, f"{tenq.workiva_id}_2")
    moved = content("Moved", tenq.workiva_id, f"{other.workiva_id}_1")  # the document changed, the section did not
    typo = content("Typo", tenq.workiva_id, f"{tenq.workiva_id}_99")
    unfetched = content("Unfetched", deck.workiva_id, "anything_1")  # the deck's sections were never fetched

    problems = directory_problems(draft_tree(draft=draft))

    assert [(p.severity, p.code, p.node_key, p.field) for p in problems] == [
        ("warning", "directory-section-elsewhere", moved.key, "section"),
        ("warning", "directory-unknown-section", typo.key, "section"),
    ]
    assert problems[0].message == (
        'Section "Letter" belongs to "Annual report", not to "Q1 2026 10-Q": choose a section of this document.'
    )
    assert problems[1].message == (
        f'Section "{tenq.workiva_id}_99" is not a section of "Q1 2026 10-Q" in the Workiva directory (unverified id).'
    )
    assert {fine.key, unfetched.key}.isdisjoint(p.node_key for p in problems)


def test_the_inspector_flags_a_section_of_another_document_once(client, user):
    world = small_directory()
    other = add_file("c" * 32, "Annual <i>report</i>", sections=("Letter",))
    draft = make_draft(user)
    job = add_job(
        draft,
        root_of(draft),
        "Moved",
        job_type="contentRequest",
        assignee={"id": world["grace"].workiva_id, "type": "user"},
        document=world["tenq"].workiva_id,
        section=f"{other.workiva_id}_1",
    )
    client.force_login(user)

    html = client.get(reverse("draft-editor", args=[draft.pk]), {"node": job.key}).content.decode()
    fragment = client.get(
        reverse("node-detail", args=[draft.pk, job.key]), headers={"HX-Request": "true"}
    ).content.decode()

    message = (
        "Section &quot;Letter&quot; belongs to &quot;Annual &lt;i&gt;report&lt;/i&gt;&quot;, not to "
        "&quot;Q1 2026 10-Q&quot;: choose a section of this document."
    )
    assert html.count(message) == 2  # the inspector's list and the problems panel
    assert fragment.count(message) == 1


def test_the_payload_preview_names_every_picked_id_beside_the_json(client, user, django_assert_max_num_queries):
    world = small_directory()
    draft = make_draft(user)
    root = root_of(draft)
    add_job(draft, root, "Reconcile <cash>", assigneeUser=world["markup"].workiva_id, approverUser="new-hire")
    draft.refresh_from_db()
    add_job(draft, root, "Sign", assigneeUser=world["sam"].workiva_id)
    draft.refresh_from_db()
    tenq = world["tenq"].workiva_id
    add_job(
        draft,
        root,
        "Notes",
        job_type="contentRequest",
        assignee={"id": world["ada"].workiva_id, "type": "user"},
        document=tenq,
        section=f"{tenq}_3",
    )
    client.force_login(user)

    notes = payload_notes(draft_tree(draft=draft))
    html = client.get(reverse("draft-payload", args=[draft.pk])).content.decode()

    assert [(n.job, n.field, n.id, n.name, n.state) for n in notes] == [
        ("Reconcile <cash>", "Assignee", world["markup"].workiva_id, world["markup"].display_name, "known"),
        ("Reconcile <cash>", "Approver", "new-hire", "", "unknown"),
        ("Sign", "Assignee", world["sam"].workiva_id, "Sam Suspended", "suspended"),
        ("Notes", "Assignee", world["ada"].workiva_id, "Ada Lovelace", "known"),
        ("Notes", "Document", tenq, "Q1 2026 10-Q", "known"),
        ("Notes", "Section", f"{tenq}_3", "Notes", "known"),
    ]
    assert "Who and what the ids are" in html
    assert "<td>Reconcile &lt;cash&gt;</td>" in html
    assert "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt; Eve" in html
    assert "<img src=x" not in html
    assert 'Sam Suspended <strong class="picked-suspended">suspended in Workiva</strong>' in html
    assert "Not in the directory: unverified id" in html
    assert f"&quot;assigneeUser&quot;: &quot;{world['sam'].workiva_id}&quot;" in html  # the payload keeps the ids
    with django_assert_max_num_queries(12):  # session, user, draft, tree, one lookup per kind
        client.get(reverse("draft-payload", args=[draft.pk]))


def test_the_payload_preview_of_a_draft_without_picked_ids_has_no_notes(client, user):
    draft = make_draft(user)
    client.force_login(user)

    html = client.get(reverse("draft-payload", args=[draft.pk])).content.decode()

    assert payload_notes(draft_tree(draft=draft)) == []
    assert "Who and what the ids are" not in html
