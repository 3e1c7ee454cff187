from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.context_processors import review_inbox
from designer.models import Approval, Comment, Draft, Invitation, Membership, Node, ReviewRequest
from designer.selectors.comments import comment_counts
from designer.services.comments import comment_create
from designer.services.nodes import node_delete, node_update
from designer.services.reviews import approval_gate_set, review_approve, review_request_create
from designer.services.revisions import revision_save_point
from tests.factories import UserFactory, add_job

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>bold</b>'


def _url(name, team, **kwargs):
    return reverse(name, kwargs={"pk": team["draft"].pk, **kwargs})


def test_html_in_comments_is_shown_as_text_on_the_review_page(client, team):
    comment_create(draft=team["draft"], actor=team["reviewer"], body=SCRIPT, node_key=team["job"].key)
    client.force_login(team["editor"])

    response = client.get(_url("review-page", team))

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert "On <strong>Reconcile</strong>" in html


def test_html_in_member_names_notes_and_activity_is_escaped(client, team):
    draft = team["draft"]
    review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]], note=SCRIPT)
    approval_gate_set(draft=draft, actor=team["owner"], required=False, reason=SCRIPT)
    client.force_login(team["owner"])

    pages = [
        client.get(_url(name, team)).content.decode()
        for name in ("review-page", "review-activity", "review-members", "review-revisions")
    ]

    for html in pages:
        assert "<script>alert" not in html
    assert "&lt;script&gt;" in pages[0]
    assert "&lt;script&gt;" in pages[1]
    assert "&lt;script&gt;" in pages[2]


def test_comment_posted_with_htmx_returns_the_comments_fragment(client, team):
    client.force_login(team["reviewer"])

    response = client.post(
        _url("review-comment-add", team),
        {"body": "Who signs?", "node": str(team["job"].key)},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="comments">')
    assert "Who signs?" in html
    assert "<html" not in html
    assert Comment.objects.get().node_key == team["job"].key


def test_empty_comment_is_refused_with_a_message_in_the_fragment(client, team):
    client.force_login(team["reviewer"])

    response = client.post(_url("review-comment-add", team), {"body": "   "}, headers={"HX-Request": "true"})

    assert "The comment is empty; write something first." in response.content.decode()
    assert not Comment.objects.exists()


def test_empty_comment_without_htmx_redirects_with_the_message(client, team):
    client.force_login(team["reviewer"])

    response = client.post(_url("review-comment-add", team), {"body": ""}, follow=True)

    assert "The comment is empty; write something first." in response.content.decode()
    assert not Comment.objects.exists()


def _share(client, team, identifier, role="viewer"):
    return client.post(_url("review-member-add", team), {"identifier": identifier, "role": role})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("known", "unknown"),
    [("dana@example.com", "nobody@example.com"), ("dana", "nobody"), ("DANA@EXAMPLE.COM", "NOBODY@EXAMPLE.COM")],
)
def test_sharing_answers_the_same_for_known_and_unknown_identifiers(client, team, known, unknown):
    UserFactory(username="dana", email="dana@example.com")
    client.force_login(team["owner"])

    answers = [_share(client, team, identifier) for identifier in (known, unknown)]
    page = client.get(_url("review-members", team))

    assert [r.status_code for r in answers] == [302, 302]
    assert answers[0].url == answers[1].url
    html = page.content.decode()
    shown = [m.replace(unknown, known) for m in _messages(page)]
    assert (
        shown
        == [
            f"Invitation to “{known}” as viewer recorded. If it names an account here, that person sees it "
            "under Invitations and can accept or decline it.",
        ]
        * 2
    )
    assert f"<td>{known}</td>" in html
    assert f"<td>{unknown}</td>" in html
    if "@" in known:
        assert "dana<" not in html.replace(known, "")
    assert Membership.objects.filter(draft=team["draft"]).count() == 3


def test_an_invited_person_sees_nothing_of_the_draft_until_they_accept(client, team):
    dana = UserFactory(username="dana", email="dana@example.com")
    client.force_login(team["owner"])
    _share(client, team, "dana@example.com", role="editor")
    client.force_login(dana)

    listed_before = client.get(reverse("draft-list")).content.decode()
    opened_before = client.get(_url("draft-editor", team))
    invitations = client.get(reverse("invitation-list")).content.decode()
    header = client.get(reverse("review-inbox")).content.decode()

    assert "Quarter close" not in listed_before
    assert opened_before.status_code == 404
    assert "Quarter close" in invitations
    assert "olivia invites you as editor" in invitations
    assert 'Invitations <span class="count" aria-label="1 waiting">1</span>' in header

    invitation = Invitation.objects.get()
    response = client.post(reverse("invitation-accept", args=[invitation.pk]), follow=True)

    assert response.redirect_chain[-1][0] == _url("draft-editor", team)
    assert "You are now editor of “Quarter close”." in _messages(response)
    assert Membership.objects.get(draft=team["draft"], user=dana).role == "editor"
    assert not Invitation.objects.exists()
    assert "Quarter close" in client.get(reverse("draft-list")).content.decode()
    assert "Invitations <span" not in client.get(reverse("review-inbox")).content.decode()


def test_a_declined_invitation_leaves_no_trace_of_the_draft(client, team):
    dana = UserFactory(username="dana")
    client.force_login(team["owner"])
    _share(client, team, "dana")
    client.force_login(dana)

    response = client.post(reverse("invitation-decline", args=[Invitation.objects.get().pk]), follow=True)

    assert "Invitation to “Quarter close” declined." in _messages(response)
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(user=dana).exists()
    assert client.get(_url("draft-editor", team)).status_code == 404
    assert "Quarter close" not in client.get(reverse("draft-list")).content.decode()


def test_nobody_else_can_answer_an_invitation(client, team):
    UserFactory(username="dana")
    client.force_login(team["owner"])
    _share(client, team, "dana")
    invitation = Invitation.objects.get()
    client.force_login(team["viewer"])

    accept = client.post(reverse("invitation-accept", args=[invitation.pk]))
    decline = client.post(reverse("invitation-decline", args=[invitation.pk]))

    assert (accept.status_code, decline.status_code) == (404, 404)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert Membership.objects.get(draft=team["draft"], user=team["viewer"]).role == "viewer"


def test_an_invitation_to_an_unknown_identifier_is_listed_and_can_be_cancelled(client, team):
    client.force_login(team["owner"])
    _share(client, team, "ghost@example.com")
    invitation = Invitation.objects.get()

    response = client.post(_url("review-invitation-cancel", team, invitation_pk=invitation.pk), follow=True)

    assert invitation.user is None
    assert "Invitation to “ghost@example.com” cancelled." in _messages(response)
    assert not Invitation.objects.exists()


def test_a_member_can_leave_a_shared_draft(client, team):
    client.force_login(team["viewer"])

    response = client.post(_url("review-member-leave", team), follow=True)

    assert response.redirect_chain[-1][0] == reverse("draft-list")
    assert "You left “Quarter close”; it is no longer in your drafts." in _messages(response)
    assert not Membership.objects.filter(user=team["viewer"]).exists()
    assert client.get(_url("review-members", team)).status_code == 404


def test_someone_without_access_cannot_leave_or_learn_of_a_draft(client, team):
    client.force_login(UserFactory(username="zed"))

    response = client.post(_url("review-member-leave", team))

    assert response.status_code == 404


def test_the_owner_cannot_leave_their_own_draft(client, team):
    client.force_login(team["owner"])

    response = client.post(_url("review-member-leave", team), follow=True)

    assert "You own this draft: transfer ownership to a member before leaving it." in _messages(response)
    assert Draft.objects.get(pk=team["draft"].pk).owner == team["owner"]


def test_request_review_approve_and_inbox_through_the_pages(client, team, django_capture_on_commit_callbacks):
    client.force_login(team["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("review-request", team), {"reviewers": [team["reviewer"].pk], "note": "Please check"})
    assert ReviewRequest.objects.get().reviewers.get() == team["reviewer"]
    assert "/drafts/" in mail.outbox[0].body

    client.force_login(team["reviewer"])
    inbox = client.get(reverse("review-inbox")).content.decode()
    assert 'Reviews for you <span class="count">1</span>' in inbox
    team["draft"].refresh_from_db()
    client.post(_url("review-approve", team), {"version": team["draft"].version})

    assert Approval.objects.get().verdict == "approved"
    assert 'Reviews for you <span class="count">0</span>' in client.get(reverse("review-inbox")).content.decode()
    page = client.get(_url("review-page", team)).content.decode()
    assert "<strong>Approved</strong> by rita" in page


@pytest.mark.django_db(transaction=True)
def test_requester_is_told_when_the_review_mail_failed(client, team, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1},
        }
    }
    client.force_login(team["editor"])

    response = client.post(_url("review-request", team), {"reviewers": [team["reviewer"].pk]}, follow=True)

    html = response.content.decode()
    assert (
        '<li class="msg-warning">Review requested, but the e-mail to the reviewers could not be sent. '
        "The request is in their inbox; let them know yourself.</li>" in html
    )
    assert "got an e-mail" not in html
    assert "The e-mail to the reviewers could not be sent (ConnectionRefusedError" in html
    assert ReviewRequest.objects.get().reviewers.get() == team["reviewer"]


@pytest.mark.django_db(transaction=True)
def test_requester_is_told_the_review_mail_went_out(client, team):
    client.force_login(team["editor"])

    response = client.post(_url("review-request", team), {"reviewers": [team["reviewer"].pk]}, follow=True)

    assert '<li class="msg-success">Review requested; the reviewers got an e-mail.</li>' in response.content.decode()
    assert len(mail.outbox) == 1


def test_review_request_naming_a_non_member_is_refused(client, team):
    stranger = UserFactory(username="zed")
    client.force_login(team["editor"])

    response = client.post(_url("review-request", team), {"reviewers": [stranger.pk]}, follow=True)

    assert "is not a member of this draft" in response.content.decode()
    assert not ReviewRequest.objects.exists()


def test_review_page_shows_the_tree_diff_and_changed_since_approval(client, team):
    draft = team["draft"]
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    draft.refresh_from_db()
    node_update(
        node=Node.objects.get(key=team["job"].key), version=draft.version, changes={"arguments": {"title": "Renamed"}}
    )
    client.force_login(team["editor"])

    html = client.get(_url("review-page", team)).content.decode()

    assert "Changed since approval." in html
    assert "Publishing: <strong>blocked</strong>" in html
    assert '<th scope="row">Title</th><td class="before">Reconcile</td><td class="after">Renamed</td>' in html
    assert "arguments.title" not in html


def test_approving_a_version_that_changed_shows_the_conflict(client, team):
    draft = team["draft"]
    draft.refresh_from_db()
    client.force_login(team["reviewer"])

    response = client.post(_url("review-approve", team), {"version": draft.version - 1}, follow=True)

    assert "This draft changed since you opened it" in response.content.decode()
    assert not Approval.objects.exists()


def test_restore_through_the_revisions_page_and_read_only_view(client, team):
    draft = team["draft"]
    r1 = revision_save_point(draft=draft, actor=team["owner"])
    draft.refresh_from_db()
    node_delete(node=Node.objects.get(key=team["job"].key), version=draft.version)
    draft.refresh_from_db()
    client.force_login(team["editor"])

    response = client.post(_url("review-restore", team, number=r1.number), {"version": draft.version}, follow=True)

    assert "Restored revision 1. To undo, restore revision 2" in response.content.decode()
    assert Node.objects.filter(key=team["job"].key).exists()
    detail = client.get(_url("review-revision", team, number=2)).content.decode()
    assert "Close" in detail
    assert "Reconcile" not in detail
    diff = client.get(_url("review-diff", team) + "?a=2&b=current").content.decode()
    assert 'Added <span class="pill">1</span>' in diff


def test_diff_with_an_unknown_revision_says_so(client, team):
    client.force_login(team["editor"])

    response = client.get(_url("review-diff", team) + "?a=99", follow=True)

    assert "This draft has no revision 99." in response.content.decode()


def test_inbox_link_in_the_header_shows_the_count(client, team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])
    client.force_login(team["reviewer"])

    html = client.get(reverse("draft-list")).content.decode()

    assert 'aria-label="1 waiting">1</span>' in html


def test_the_header_inbox_count_is_one_query_run_only_when_the_header_shows_it(team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])
    request = RequestFactory().get("/")
    request.user = team["reviewer"]
    with CaptureQueriesContext(connection) as building:
        context = review_inbox(request)

    with CaptureQueriesContext(connection) as counting:
        count = context["review_inbox_count"]()

    assert (len(building), count, len(counting)) == (0, 1, 1)
    request.user = AnonymousUser()
    assert review_inbox(request) == {}


def test_comments_fragment_for_one_node_for_the_editor(client, team):
    draft = team["draft"]
    comment_create(draft=draft, actor=team["reviewer"], body="On the job", node_key=team["job"].key)
    comment_create(draft=draft, actor=team["reviewer"], body="On the draft")
    client.force_login(team["editor"])

    html = client.get(_url("review-comments", team) + f"?node={team['job'].key}").content.decode()

    assert "Comments on Reconcile" in html
    assert "On the job" in html
    assert "On the draft" not in html
    assert f'<input type="hidden" name="node" value="{team["job"].key}">' in html


def test_comment_added_from_a_node_fragment_stays_scoped_to_the_node(client, team):
    client.force_login(team["reviewer"])
    key = str(team["job"].key)
    comment_create(draft=team["draft"], actor=team["reviewer"], body="On the draft")

    response = client.post(
        _url("review-comment-add", team), {"body": "Due?", "node": key, "scope": key}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Due?" in html
    assert "On the draft" not in html


def _page_queries(client, team, extra_jobs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = team["draft"]
    for i in range(extra_jobs):
        draft.refresh_from_db()
        job = add_job(draft, team["group"], f"Job {i}")
        comment_create(draft=draft, actor=team["reviewer"], body=f"c{i}", node_key=job.key)
    draft.refresh_from_db()
    review_request_create(draft=draft, actor=team["editor"], reviewers=[team["reviewer"]])
    client.force_login(team["reviewer"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("review-page", team)).status_code == 200
    return len(queries)


def test_review_page_queries_do_not_grow_with_the_tree_or_comments(client, team):
    small = _page_queries(client, team, 1)

    large = _page_queries(client, team, 15)

    assert large == small


def test_approval_banner_in_the_editor_says_changed_since_approval_with_a_diff_link(client, team):
    draft = team["draft"]
    draft.refresh_from_db()
    approval = review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    draft.refresh_from_db()
    node_update(
        node=Node.objects.get(key=team["job"].key), version=draft.version, changes={"arguments": {"title": "<i>x</i>"}}
    )
    client.force_login(team["editor"])

    html = client.get(_url("draft-editor", team)).content.decode()

    assert "Changed since approval" in html
    assert f"?a={approval.revision.number}&amp;b=current" in html
    assert 'data-publish-allowed="false"' in html
    assert 'class="approval-banner status-voided"' in html


def test_open_comments_filter_gives_the_marker_count_per_node(team):
    comment_create(draft=team["draft"], actor=team["reviewer"], body="a", node_key=team["job"].key)
    context = Context({"counts": comment_counts(team["draft"]), "job": team["job"], "group": team["group"]})

    html = Template("{% load review_tags %}{{ counts|open_comments:job.key }}/{{ counts|open_comments:group.key }}")

    assert html.render(context) == "1/0"


def test_editor_comment_marker_links_to_the_nodes_comments_on_the_review_page(client, team):
    comment_create(draft=team["draft"], actor=team["reviewer"], body="Check this", node_key=team["job"].key)
    client.force_login(team["editor"])
    key = team["job"].key

    html = client.get(reverse("draft-editor", args=[team["draft"].pk]) + f"?node={key}").content.decode()

    link = f'href="{_url("review-page", team)}?node={key}#comments"'
    assert f'<a class="comment-marker" {link}' in html
    assert f"{link}>1 open comment on this item</a>" in html


def test_review_page_filtered_to_a_node_shows_only_that_nodes_comments(client, team):
    draft = team["draft"]
    comment_create(draft=draft, actor=team["reviewer"], body="About the job", node_key=team["job"].key)
    comment_create(draft=draft, actor=team["reviewer"], body="About the group", node_key=team["group"].key)
    comment_create(draft=draft, actor=team["reviewer"], body="About the whole draft")
    client.force_login(team["editor"])

    html = client.get(_url("review-page", team) + f"?node={team['job'].key}").content.decode()

    assert "Comments on Reconcile" in html
    assert "About the job" in html
    assert "About the group" not in html
    assert "About the whole draft" not in html
    assert f'<input type="hidden" name="node" value="{team["job"].key}">' in html
    assert "Show all comments" in html


def test_review_page_with_an_unknown_node_shows_every_comment(client, team):
    draft = team["draft"]
    comment_create(draft=draft, actor=team["reviewer"], body="About the job", node_key=team["job"].key)
    comment_create(draft=draft, actor=team["reviewer"], body="About the whole draft")
    client.force_login(team["editor"])

    for node in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        html = client.get(_url("review-page", team) + f"?node={node}").content.decode()

        assert "About the job" in html
        assert "About the whole draft" in html
        assert "Show all comments" not in html


def test_read_only_revision_shows_settings_and_modes_as_the_registry_words_them(client, team):
    draft = team["draft"]
    draft.business_days = ["monday", "friday"]
    draft.auto_close = True
    draft.save()
    revision = revision_save_point(draft=draft, actor=team["owner"])
    client.force_login(team["editor"])

    page = client.get(_url("review-revision", team, number=revision.number)).content.decode()

    assert '<th scope="row">Business days</th><td>Monday, Friday</td>' in page
    assert '<th scope="row">Close automatically</th><td>Yes</td>' in page
    assert "businessDaysOfWeek" not in page
    assert "autoClose" not in page
    assert '<span class="pill">one after another</span>' in page


def test_the_activity_page_lists_each_change_of_a_folded_line_once_with_its_count(client, team):
    from designer.services.activity import activity_record

    for summary in ("Rearranged the outline.", f"Saved “{SCRIPT}”.", "Rearranged the outline."):
        activity_record(draft=team["draft"], actor=team["editor"], verb="edited", summary=summary)
    client.force_login(team["viewer"])

    html = client.get(_url("review-activity", team)).content.decode()

    assert '<li>Rearranged the outline. <span class="times">×2</span></li>' in html
    assert "<li>Saved “&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;”.</li>" in html
    assert html.count("Rearranged the outline.") == 1
    assert ".;" not in html


def test_an_open_request_is_named_on_the_review_page_and_the_form_is_not_offered_again(client, team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])
    client.force_login(team["editor"])

    html = client.get(_url("review-page", team)).content.decode()

    assert "Not reviewed yet" not in html
    assert '<p class="requested"><strong>Review requested</strong> from rita on <time' in html
    assert '<details class="request-again"><summary>Ask again or ask someone else</summary>' in html
    assert ">Request a new review</button>" in html
    assert ">Request review</button>" not in html


def test_the_editor_banner_names_an_open_request(client, team):
    review_request_create(draft=team["draft"], actor=team["editor"], reviewers=[team["reviewer"]])
    client.force_login(team["owner"])

    html = client.get(reverse("draft-editor", args=[team["draft"].pk])).content.decode()

    assert "Not reviewed yet" not in html
    assert "<strong>Review requested</strong> from rita on" in html


def test_the_owner_approving_their_own_edit_is_told_it_does_not_count(client, team):
    from designer.services.activity import activity_record

    draft = team["draft"]
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    draft.refresh_from_db()
    node_update(
        node=Node.objects.get(key=team["job"].key), version=draft.version, changes={"arguments": {"title": "X"}}
    )
    activity_record(draft=draft, actor=team["owner"], verb="edited", summary="Saved “X”.")
    draft.refresh_from_db()
    client.force_login(team["owner"])

    before = client.get(_url("review-page", team)).content.decode()
    response = client.post(_url("review-approve", team), {"version": draft.version}, follow=True)

    assert "You edited this change, so your approval is recorded but does not count for publishing" in before
    html = response.content.decode()
    assert "Approval recorded, but you edited this change: it does not count for publishing." in html
    assert "<strong>Needs an independent approval.</strong> olivia approved this content" in html
    assert "Publishing: <strong>blocked</strong>" in html
    assert '<span class="pill">does not count: edited the change</span>' in html
    client.force_login(team["reviewer"])
    assert "You edited this change" not in client.get(_url("review-page", team)).content.decode()


def test_the_review_diff_shows_what_added_nodes_hold_in_the_registry_s_words(client, team):
    from designer.services.drafts import draft_update

    draft = team["draft"]
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    add_job(draft, team["root"], "Certify cash", dueDate="2026-12-31", instructions="Sign the letter")
    draft.refresh_from_db()
    draft_update(draft=draft, version=draft.version, changes={"business_days": ["monday", "friday"]})
    client.force_login(team["reviewer"])

    html = client.get(_url("review-page", team)).content.decode()

    assert (
        '<dl class="details"><dt>Job type</dt><dd>Send a task</dd><dt>Instructions</dt><dd>Sign the letter</dd>'
        "<dt>Assignee</dt><dd>userId1</dd><dt>Due date</dt><dd>2026-12-31</dd></dl>"
    ) in html
    before = "Monday, Tuesday, Wednesday, Thursday, Friday"  # a new draft starts Monday–Friday (issue 14)
    assert (
        f'<th scope="row">Business days</th><td class="before">{before}</td><td class="after">Monday, Friday</td>'
        in html
    )
    for raw in ("businessDaysOfWeek", "assigneeUser", "dueDate", "arguments.", "true", "false", "[&#x27;"):
        assert raw not in html.split('<section class="card" id="decide">')[0].split('<div class="diff">')[1]


def test_a_first_review_lists_the_root_as_the_root_and_groups_with_how_they_run(client, team):
    node_update(node=Node.objects.get(key=team["group"].key), version=team["draft"].version, changes={"parallel": True})
    client.force_login(team["reviewer"])

    html = client.get(_url("review-page", team)).content.decode()

    assert """<span class="label">Quarter close</span> <span class="muted">— the process's root group</span>""" in html
    assert " in </span>" not in html
    assert "<dt>Children run</dt><dd>all at the same time</dd>" in html
    assert "<dt>Children run</dt><dd>one after another</dd>" in html


def test_an_approval_that_does_not_count_leaves_its_change_in_the_review_diff(client, team):
    from designer.services.activity import activity_record

    draft = team["draft"]
    draft.refresh_from_db()
    accepted = review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    node_update(
        node=Node.objects.get(key=team["job"].key), version=draft.version, changes={"arguments": {"title": "Renamed"}}
    )
    activity_record(draft=draft, actor=team["owner"], verb="edited", summary="Saved “Renamed”.")
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["owner"], version=draft.version)  # does not count
    client.force_login(team["reviewer"])
    without_request = client.get(_url("review-page", team)).content.decode()
    draft.refresh_from_db()
    review_request_create(draft=draft, actor=team["owner"], reviewers=[team["reviewer"]])
    with_request = client.get(_url("review-page", team)).content.decode()

    assert f"compared with revision {accepted.revision.number} (approved)" in without_request
    assert f"Changes since revision {accepted.revision.number} (approved)" in with_request
    for html in (without_request, with_request):
        assert '<td class="before">Reconcile</td><td class="after">Renamed</td>' in html
        assert "No differences." not in html
