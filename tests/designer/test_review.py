from __future__ import annotations

import pytest
from django.core import mail

from designer.errors import DraftConflict, DraftError
from designer.models import Activity, ApprovalGateChange, Comment, Draft, Invitation, Membership, Node, Revision
from designer.permissions import role_of, with_my_role
from designer.selectors.comments import comment_counts, comment_threads
from designer.selectors.drafts import draft_list
from designer.selectors.reviews import approval_status, four_eyes, inbox, inbox_count, publish_gate
from designer.selectors.revisions import current_content
from designer.selectors.sharing import invitations_for
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record, summary_lines
from designer.services.comments import comment_create, comment_reopen, comment_resolve
from designer.services.drafts import draft_update
from designer.services.nodes import node_delete, node_move, node_update
from designer.services.reviews import approval_gate_set, review_approve, review_request_changes, review_request_create
from designer.services.revisions import revision_restore, revision_save_point
from designer.services.sharing import (
    invitation_accept,
    invitation_create,
    membership_add,
    membership_leave,
    membership_remove,
    membership_update,
    ownership_transfer,
)
from processes_api.payload import build_payload
from tests.factories import UserFactory, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def _approve(team):
    draft = team["draft"]
    draft.refresh_from_db()
    return review_approve(draft=draft, actor=team["reviewer"], version=draft.version)


def test_membership_add_by_username_and_by_email(team):
    draft = team["draft"]
    dana = UserFactory(username="dana", email="Dana@Example.com")
    erin = UserFactory(username="erin")

    membership_add(draft=draft, actor=team["owner"], identifier="dana@example.com", role="viewer")
    membership_add(draft=draft, actor=team["owner"], identifier="ERIN", role="editor")

    assert Membership.objects.get(draft=draft, user=dana).role == "viewer"
    assert Membership.objects.get(draft=draft, user=erin).role == "editor"
    assert Activity.objects.filter(draft=draft, verb="member_added").count() == 2


@pytest.mark.parametrize(
    ("identifier", "role", "message"),
    [
        ("nobody", "viewer", 'There is no user "nobody". Check the username or e-mail address.'),
        ("ghost@example.com", "viewer", 'There is no user "ghost@example.com". Check the username or e-mail address.'),
        ("olivia", "viewer", "olivia owns this draft already."),
        ("rita", "viewer", "rita is already reviewer of this draft; change their role instead."),
        ("", "viewer", "Enter a username or an e-mail address."),
        ("dana", "owner", "A draft has one owner; use “Transfer ownership” to hand it over."),
        ("dana", "boss", '"boss" is not a role; choose editor, reviewer or viewer.'),
    ],
)
def test_membership_add_refuses_bad_input_and_writes_nothing(team, identifier, role, message):
    UserFactory(username="dana")
    before = Membership.objects.count()

    with pytest.raises(DraftError) as exc:
        membership_add(draft=team["draft"], actor=team["owner"], identifier=identifier, role=role)

    assert str(exc.value) == message
    assert Membership.objects.count() == before
    assert not Activity.objects.filter(verb="member_added").exists()


def test_invitation_grants_nothing_until_accepted(team):
    draft = team["draft"]
    dana = UserFactory(username="dana", email="Dana@Example.com")

    invitation = invitation_create(draft=draft, actor=team["owner"], identifier=" dana@example.com ", role="editor")

    assert (invitation.identifier, invitation.user, invitation.role) == ("dana@example.com", dana, "editor")
    assert role_of(dana, draft) is None
    assert draft not in draft_list(user=dana)
    assert list(invitations_for(user=dana)) == [invitation]

    membership = invitation_accept(invitation=invitation, user=dana)

    assert (membership.user, membership.role) == (dana, "editor")
    assert role_of(dana, Draft.objects.get(pk=draft.pk)) == "editor"
    assert Activity.objects.filter(draft=draft, verb="member_joined", summary="dana as editor").exists()


def test_invitations_by_username_and_address_are_answered_together(team):
    dana = UserFactory(username="dana", email="dana@example.com")
    first = invitation_create(draft=team["draft"], actor=team["owner"], identifier="dana", role="viewer")
    invitation_create(draft=team["draft"], actor=team["owner"], identifier="dana@example.com", role="editor")

    invitation_accept(invitation=first, user=dana)

    assert not Invitation.objects.exists()
    assert Membership.objects.get(draft=team["draft"], user=dana).role == "viewer"


@pytest.mark.parametrize("identifier", ["nobody", "ghost@example.com", "shared@example.com", "inactive"])
def test_an_identifier_naming_no_single_active_account_is_invited_all_the_same(team, identifier):
    UserFactory(username="s1", email="shared@example.com")
    UserFactory(username="s2", email="shared@example.com")
    UserFactory(username="inactive", is_active=False)

    invitation = invitation_create(draft=team["draft"], actor=team["owner"], identifier=identifier, role="viewer")

    assert (invitation.identifier, invitation.user) == (identifier, None)
    assert Membership.objects.filter(draft=team["draft"]).count() == 3


@pytest.mark.parametrize(
    ("identifier", "role", "message"),
    [
        ("", "viewer", "Enter a username or an e-mail address."),
        (
            "a\x00b@example.com",
            "viewer",
            "A username or e-mail address cannot contain control characters or line breaks.",
        ),
        ("x" * 255, "viewer", "A username or e-mail address has at most 254 characters."),
        ("olivia", "viewer", "You own this draft already."),
        ("rita@example.com", "viewer", "rita is a member already; change their role instead."),
        ("taken", "viewer", "“taken” is invited already; cancel that invitation to invite again."),
        ("dana", "owner", "A draft has one owner; use “Transfer ownership” to hand it over."),
    ],
)
def test_invitation_refusals_depend_only_on_what_the_sharer_can_see(team, identifier, role, message):
    UserFactory(username="dana")
    invitation_create(draft=team["draft"], actor=team["owner"], identifier="TAKEN", role="viewer")

    with pytest.raises(DraftError) as exc:
        invitation_create(draft=team["draft"], actor=team["owner"], identifier=identifier, role=role)

    assert str(exc.value) == message
    assert Invitation.objects.count() == 1


def test_a_member_who_leaves_loses_access_and_review_assignments(team):
    draft = team["draft"]
    request = review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]])

    membership_leave(draft=draft, user=team["reviewer"])

    assert role_of(team["reviewer"], Draft.objects.get(pk=draft.pk)) is None
    assert list(request.reviewers.all()) == []
    assert Activity.objects.filter(draft=draft, verb="member_left", summary="rita").exists()


def test_membership_update_and_remove_are_logged(team):
    draft = team["draft"]
    membership = Membership.objects.get(draft=draft, user=team["viewer"])

    membership_update(membership=membership, actor=team["owner"], role="reviewer")
    membership_remove(membership=membership, actor=team["owner"])

    assert not Membership.objects.filter(draft=draft, user=team["viewer"]).exists()
    verbs = list(Activity.objects.filter(draft=draft).values_list("verb", flat=True))
    assert verbs[:2] == ["member_removed", "member_changed"]


def test_ownership_transfer_makes_previous_owner_an_editor(team):
    draft = team["draft"]

    ownership_transfer(draft=draft, actor=team["owner"], new_owner=team["editor"])

    draft.refresh_from_db()
    assert draft.owner == team["editor"]
    assert Membership.objects.get(draft=draft, user=team["owner"]).role == "editor"
    assert not Membership.objects.filter(draft=draft, user=team["editor"]).exists()


def test_ownership_transfer_to_a_stranger_is_refused(team):
    with pytest.raises(DraftError, match="is not a member of this draft"):
        ownership_transfer(draft=team["draft"], actor=team["owner"], new_owner=UserFactory())


def test_review_request_freezes_a_revision_and_mails_the_reviewers(team, django_capture_on_commit_callbacks):
    draft = team["draft"]

    with django_capture_on_commit_callbacks(execute=True):
        request = review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]], note="Q3")

    assert request.revision.reason == Revision.Reason.REVIEW_REQUEST
    assert request.revision.content_hash == current_content(draft)[2]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rita@example.com"]
    assert "ed asks you to review" in mail.outbox[0].body
    assert list(inbox(user=team["reviewer"])) == [request]
    assert inbox_count(user=team["reviewer"]) == 1
    assert inbox_count(user=team["viewer"]) == 0


def test_review_request_mail_subject_has_no_line_breaks_from_the_draft_name(team, django_capture_on_commit_callbacks):
    draft = team["draft"]
    draft.name = "Close\r\nBcc: someone@example.com\nX"
    draft.save(update_fields=["name"])

    with django_capture_on_commit_callbacks(execute=True):
        request = review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]])

    assert [m.subject for m in mail.outbox] == ["Review requested: Close Bcc: someone@example.com X"]
    assert mail.outbox[0].to == ["rita@example.com"]
    request.refresh_from_db()
    assert request.mailed is not None
    assert request.mail_error == ""


def test_review_request_whose_mail_fails_records_why_and_stands(team, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1},
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        request = review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])

    request.refresh_from_db()
    assert request.mailed is None
    assert request.mail_error.startswith("ConnectionRefusedError")
    assert list(inbox(user=team["reviewer"])) == [request]


def test_review_request_refuses_a_reviewer_who_is_not_a_member(team):
    with pytest.raises(DraftError) as exc:
        review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[UserFactory(username="zed")])

    assert str(exc.value) == "zed is not a member of this draft; share it with them as a reviewer first."
    assert not Revision.objects.exists()


def test_review_request_refuses_a_viewer_as_reviewer_and_an_empty_choice(team):
    with pytest.raises(DraftError, match="vic is viewer of this draft and cannot approve"):
        review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["viewer"]])
    with pytest.raises(DraftError, match="Choose at least one reviewer"):
        review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[])


def test_a_decision_takes_the_request_out_of_the_inbox(team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])

    _approve(team)

    assert inbox_count(user=team["reviewer"]) == 0


def test_approval_records_the_content_hash_and_is_valid(team):
    approval = _approve(team)

    assert approval.content_hash == current_content(team["draft"])[2]
    assert approval.revision.reason == Revision.Reason.APPROVAL
    assert approval_status(team["draft"]).state == "valid"


def test_an_edit_after_approval_voids_it(team):
    _approve(team)
    draft = team["draft"]
    draft.refresh_from_db()

    node_update(node=team["job"], version=draft.version, changes={"arguments": {"title": "Reconcile all"}})

    status = approval_status(draft)
    assert status.state == "voided"
    assert status.approved_revision is not None


def test_approving_a_stale_version_is_refused(team):
    draft = team["draft"]
    draft.refresh_from_db()
    seen = draft.version
    node_update(node=team["job"], version=seen, changes={"arguments": {"title": "Changed"}})

    with pytest.raises(DraftConflict):
        review_approve(draft=draft, actor=team["reviewer"], version=seen)


def test_request_changes_needs_a_note_and_blocks_publishing(team):
    draft = team["draft"]
    draft.refresh_from_db()
    with pytest.raises(DraftError, match="the note is empty"):
        review_request_changes(draft=draft, actor=team["reviewer"], version=draft.version, note="  ")

    review_request_changes(draft=draft, actor=team["reviewer"], version=draft.version, note="Add owner")

    assert approval_status(draft).state == "changes_requested"
    assert publish_gate(draft) == (False, "A reviewer requested changes; publish after a new approval.")


def test_publish_gate_refuses_without_approval_and_allows_with_one(team):
    draft = team["draft"]
    assert publish_gate(draft) == (
        False,
        "This draft has reviewers: it needs an approval before it can be published.",
    )

    _approve(team)

    assert publish_gate(draft) == (True, "Approved by rita.")


def test_publish_gate_refuses_after_an_edit_voids_the_approval(team):
    _approve(team)
    draft = team["draft"]
    draft.refresh_from_db()
    node_move(node=team["job"], version=draft.version, parent_key=team["root"].key, position=0)

    allowed, reason = publish_gate(draft)

    assert not allowed
    assert reason == "The draft changed since it was approved; ask for a new review before publishing."


def test_publish_gate_allows_a_draft_without_reviewers():
    draft = make_draft()

    assert publish_gate(draft) == (True, "")


def test_gate_turned_off_by_owner_is_logged_and_lets_publish(team):
    draft = team["draft"]

    approval_gate_set(draft=draft, actor=team["owner"], required=False, reason="Urgent fix")

    assert publish_gate(draft) == (True, "The owner turned off the approval requirement for this draft.")
    change = ApprovalGateChange.objects.get(draft=draft)
    assert (change.required, change.actor, change.reason) == (False, team["owner"], "Urgent fix")
    entry = Activity.objects.get(draft=draft, verb="gate_changed")
    assert entry.summary == "approval no longer required before publishing: Urgent fix"
    with pytest.raises(DraftError, match="already off"):
        approval_gate_set(draft=draft, actor=team["owner"], required=False)


def test_comments_survive_moving_their_node(team):
    draft = team["draft"]
    comment = comment_create(draft=draft, actor=team["reviewer"], body="Who owns this?", node_key=team["job"].key)
    draft.refresh_from_db()

    node_move(node=team["job"], version=draft.version, parent_key=team["root"].key, position=0)

    assert comment_counts(draft) == {team["job"].key: 1}
    assert [t.pk for t in comment_threads(draft, node_key=team["job"].key)] == [comment.pk]
    assert Node.objects.get(key=team["job"].key).parent == team["root"]


def test_empty_comment_is_refused_with_a_message(team):
    with pytest.raises(DraftError) as exc:
        comment_create(draft=team["draft"], actor=team["reviewer"], body="   \n ")

    assert str(exc.value) == "The comment is empty; write something first."
    assert not Comment.objects.exists()


def test_comment_on_an_unknown_node_is_refused(team):
    other = make_draft()

    with pytest.raises(DraftError, match="There is no node"):
        comment_create(draft=team["draft"], actor=team["reviewer"], body="x", node_key=root_of(other).key)


def test_replies_thread_under_the_first_comment_and_resolve_reopen_the_thread(team):
    draft = team["draft"]
    first = comment_create(draft=draft, actor=team["reviewer"], body="Due date?", node_key=team["job"].key)
    reply = comment_create(draft=draft, actor=team["editor"], body="Fixed", parent=first)
    nested = comment_create(draft=draft, actor=team["reviewer"], body="Thanks", parent=reply)

    comment_resolve(comment=reply, actor=team["reviewer"])

    first.refresh_from_db()
    assert nested.parent == first
    assert nested.node_key == team["job"].key
    assert first.resolved
    assert comment_counts(draft) == {}
    comment_reopen(comment=first, actor=team["editor"])
    assert comment_counts(draft) == {team["job"].key: 1}
    with pytest.raises(DraftError, match="open already"):
        comment_reopen(comment=first, actor=team["editor"])


def test_drafts_list_shows_my_role_without_a_query_per_draft(team, django_assert_num_queries):
    other = make_draft(team["reviewer"], name="Rita's own")
    Membership.objects.create(draft=other, user=team["editor"], role="viewer")

    with django_assert_num_queries(1):
        roles = {d.name: d.my_role for d in with_my_role(draft_list(user=team["editor"]), user=team["editor"])}

    assert roles == {"Quarter close": "editor", "Rita's own": "viewer"}
    assert {d.my_role for d in with_my_role(draft_list(user=team["owner"]), user=team["owner"])} == {"owner"}


def _v(draft):
    draft.refresh_from_db()
    return draft.version


def _job(team):
    return Node.objects.select_related("draft").get(key=team["job"].key)


def _content(draft):
    payload = build_payload(draft_tree(draft=draft))
    return payload.data, {str(k): p for p, k in payload.paths.key_by_path.items()}


def test_restore_gives_back_the_revision_exactly_and_can_be_undone(team):
    draft = team["draft"]
    draft.refresh_from_db()
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2026-12-31"})
    r1 = revision_save_point(draft=draft, actor=team["owner"], note="before edits")
    node_update(node=_job(team), version=_v(draft), changes={"arguments": {"title": "Renamed"}})
    node_move(node=_job(team), version=_v(draft), parent_key=team["root"].key, position=0)
    _v(draft)
    add_job(draft, team["group"], "New one")
    draft_update(draft=draft, version=_v(draft), changes={"due_date": None, "name": "Other"})
    draft.refresh_from_db()
    later = _content(draft)
    version = draft.version

    undo = revision_restore(draft=draft, actor=team["owner"], version=version, revision=r1)

    draft.refresh_from_db()
    assert draft.version == version + 1
    assert _content(draft) == (r1.payload, r1.paths)
    assert current_content(draft)[2] == r1.content_hash
    assert (undo.payload, undo.paths) == later
    revision_restore(draft=draft, actor=team["owner"], version=draft.version, revision=undo)
    draft.refresh_from_db()
    assert _content(draft) == later


def test_restore_keeps_node_keys_so_comments_stay_attached(team):
    draft = team["draft"]
    r1 = revision_save_point(draft=draft, actor=team["owner"])
    comment_create(draft=draft, actor=team["reviewer"], body="Check", node_key=team["job"].key)
    draft.refresh_from_db()
    node_delete(node=_job(team), version=_v(draft))

    revision_restore(draft=draft, actor=team["owner"], version=_v(draft), revision=r1)

    assert Node.objects.filter(draft=draft, key=team["job"].key).exists()
    assert comment_counts(draft) == {team["job"].key: 1}


def test_restore_of_a_stale_version_is_refused_and_writes_nothing(team):
    draft = team["draft"]
    r1 = revision_save_point(draft=draft, actor=team["owner"])
    count = Revision.objects.count()

    with pytest.raises(DraftConflict):
        revision_restore(draft=draft, actor=team["owner"], version=draft.version - 1, revision=r1)

    assert Revision.objects.count() == count


def test_edits_by_one_person_fold_into_one_summarised_activity_line(team):
    draft = team["draft"]

    activity_record(draft=draft, actor=team["editor"], verb="edited", summary="renamed Close")
    activity_record(draft=draft, actor=team["editor"], verb="edited", summary="moved Reconcile")
    activity_record(draft=draft, actor=team["owner"], verb="edited", summary="added Sign")

    lines = list(Activity.objects.filter(draft=draft, verb="edited").order_by("id"))
    assert [(a.actor, a.count, a.summary) for a in lines] == [
        (team["editor"], 2, "moved Reconcile\nrenamed Close"),
        (team["owner"], 1, "added Sign"),
    ]


def test_a_folded_summary_counts_repeats_and_keeps_one_change_per_line(team):
    draft = team["draft"]
    for summary in (
        "Rearranged the outline.",
        "Saved “Reconcile”.",
        "Rearranged the outline.",
        "Rearranged the outline.",
    ):
        activity_record(draft=draft, actor=team["editor"], verb="edited", summary=summary)

    line = Activity.objects.get(draft=draft, verb="edited")
    assert line.count == 4
    assert summary_lines(line.summary) == [("Rearranged the outline.", 3), ("Saved “Reconcile”.", 1)]


def test_a_long_folded_summary_drops_whole_old_lines_and_never_cuts_a_word(team):
    draft = team["draft"]
    titles = [f"Saved “Reconciliation of account number {n:04d} with the bank statement”." for n in range(40)]
    for title in titles:
        activity_record(draft=draft, actor=team["editor"], verb="edited", summary=title)

    line = Activity.objects.get(draft=draft, verb="edited")
    kept = [text for text, _ in summary_lines(line.summary)]
    assert line.count == 40
    assert kept == titles[::-1][: len(kept)]
    assert 1 < len(kept) < 40
    assert "…" not in line.summary


def test_a_long_summary_is_cut_at_a_word_boundary(team):
    words = " ".join(["Reconcile"] * 300)

    line = activity_record(draft=team["draft"], actor=team["owner"], verb="commented", summary=words)

    assert line.summary.endswith("Reconcile…")
    assert len(line.summary) <= 2000


def test_other_verbs_never_fold(team):
    draft = team["draft"]

    activity_record(draft=draft, actor=team["owner"], verb="published", summary="p1")
    activity_record(draft=draft, actor=team["owner"], verb="published", summary="p2")

    assert Activity.objects.filter(draft=draft, verb="published").count() == 2


def test_a_reviewer_made_viewer_leaves_the_inbox(team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])
    membership = Membership.objects.get(draft=team["draft"], user=team["reviewer"])

    membership_update(membership=membership, actor=team["owner"], role="viewer")

    assert inbox_count(user=team["reviewer"]) == 0


def test_restore_round_trips_an_imported_payload_with_unknown_fields():
    from designer.services.drafts import draft_import
    from tests.factories import seed_request

    owner = UserFactory()
    data = seed_request()
    data["futureField"] = {"kept": True}
    data["root"]["children"][0]["futureWrapper"] = 1
    draft = draft_import(data=data, owner=owner)
    r1 = revision_save_point(draft=draft, actor=owner)
    first = Node.objects.filter(draft=draft, kind="job").select_related("draft").first()
    node_delete(node=first, version=_v(draft))
    draft_update(draft=draft, version=_v(draft), changes={"name": "Renamed"})

    revision_restore(draft=draft, actor=owner, version=_v(draft), revision=r1)

    draft.refresh_from_db()
    assert _content(draft) == (r1.payload, r1.paths)
    assert r1.payload["futureField"] == {"kept": True}


# --- four eyes: an approval counts only from a reviewer who did not make the change ---------------


def _edit(team, actor, title):
    """Change the job's title as the editor's views do: the write, then the activity line."""
    draft = team["draft"]
    draft.refresh_from_db()
    job = Node.objects.get(pk=team["job"].pk)
    node_update(node=job, version=draft.version, changes={"arguments": {"title": title, "assigneeUser": "userId1"}})
    activity_record(draft=draft, actor=actor, verb="edited", summary=f"Saved “{title}”.")
    draft.refresh_from_db()


def _approve_as(team, actor):
    draft = team["draft"]
    draft.refresh_from_db()
    return review_approve(draft=draft, actor=actor, version=draft.version)


def test_the_owner_approving_their_own_edit_does_not_open_the_gate(team):
    _approve(team)
    _edit(team, team["owner"], "Reconcile all")

    own = _approve_as(team, team["owner"])

    status = approval_status(team["draft"])
    assert (status.state, status.decision) == ("own_change", own)
    assert publish_gate(team["draft"]) == (
        False,
        "olivia approved, but edited this change; publishing needs an approval from a reviewer who did not"
        " edit it (four eyes).",
    )
    rita = _approve_as(team, team["reviewer"])
    assert (approval_status(team["draft"]).state, approval_status(team["draft"]).decision) == ("valid", rita)
    assert publish_gate(team["draft"]) == (True, "Approved by rita.")


def test_creating_the_draft_makes_its_creator_an_author_of_the_first_change(team):
    _approve_as(team, team["owner"])

    assert approval_status(team["draft"]).state == "own_change"
    assert four_eyes(team["draft"], current_hash=current_content(team["draft"])[2]).current_authors == {
        team["owner"].pk
    }


def test_an_editor_made_reviewer_does_not_count_for_their_own_edit_but_another_reviewer_does(team):
    _approve(team)  # rita accepts the first change (olivia created the draft)
    _edit(team, team["editor"], "Reconcile all")
    Membership.objects.filter(draft=team["draft"], user=team["editor"]).update(role="reviewer")

    ed = _approve_as(team, team["editor"])
    assert approval_status(team["draft"]).state == "own_change"

    rita = _approve_as(team, team["reviewer"])
    eyes = four_eyes(team["draft"], current_hash=current_content(team["draft"])[2])
    assert (eyes.counts[ed.pk], eyes.counts[rita.pk]) == (False, True)
    assert eyes.authors[rita.pk] == {team["editor"].pk}
    assert approval_status(team["draft"]).decision == rita


def test_approving_again_without_an_edit_does_not_launder_an_own_change(team):
    _approve(team)
    _edit(team, team["owner"], "Reconcile all")
    first = _approve_as(team, team["owner"])
    second = _approve_as(team, team["owner"])

    eyes = four_eyes(team["draft"], current_hash=current_content(team["draft"])[2])
    assert (eyes.counts[first.pk], eyes.counts[second.pk]) == (False, False)
    assert approval_status(team["draft"]).state == "own_change"


def test_an_author_co_approving_accepted_content_does_not_count_and_the_approval_stands(team):
    rita = _approve(team)
    olivia = _approve_as(team, team["owner"])  # the same content, which olivia created

    eyes = four_eyes(team["draft"], current_hash=current_content(team["draft"])[2])
    assert (eyes.counts[rita.pk], eyes.counts[olivia.pk]) == (True, False)
    status = approval_status(team["draft"])
    assert (status.state, status.decision) == ("valid", rita)


def test_after_an_accepted_change_only_later_editors_are_authors(team):
    _approve(team)  # accepts olivia's creation
    _edit(team, team["editor"], "Reconcile all")

    own = _approve_as(team, team["owner"])  # olivia did not edit since rita's approval

    assert approval_status(team["draft"]).state == "valid"
    assert approval_status(team["draft"]).decision == own


def test_changes_requested_after_an_approval_needs_a_new_approval(team):
    _approve(team)
    draft = team["draft"]
    draft.refresh_from_db()
    review_request_changes(draft=draft, actor=team["reviewer"], version=draft.version, note="Add owner")

    assert approval_status(draft).state == "changes_requested"
    assert publish_gate(draft)[0] is False


def test_the_status_names_an_open_request_made_after_the_last_decision(team):
    draft = team["draft"]
    assert approval_status(draft).open_request is None
    request = review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]])

    assert approval_status(draft).open_request == request
    _approve(team)
    assert approval_status(draft).open_request is None
