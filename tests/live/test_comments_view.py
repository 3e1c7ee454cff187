"""The comment markers an editor fetches when a comment was made, resolved or reopened elsewhere."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from designer.services.comments import comment_create, comment_resolve
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def markers(client, draft):
    response = client.get(reverse("live-comments", args=[draft.pk]))
    assert response.status_code == 200
    return response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_row_with_open_threads_gets_its_marker_as_the_outline_renders_it(team):
    draft, job, group = team["draft"], team["job"], team["group"]
    for body in ("Which account?", "Due <date>?"):
        comment_create(draft=draft, actor=team["reviewer"], body=body, node_key=job.key)
    resolved = comment_create(draft=draft, actor=team["reviewer"], body="Rename?", node_key=group.key)
    comment_resolve(comment=resolved, actor=team["owner"])
    comment_create(draft=draft, actor=team["reviewer"], body="On the whole draft")

    html = markers(logged_in(team["viewer"]), draft)

    assert re.findall(r'data-for="([^"]+)"', html) == [str(job.key)]
    review = reverse("review-page", args=[draft.pk])
    assert (
        f'<div data-for="{job.key}"><a class="comment-marker" href="{review}?node={job.key}#comments" tabindex="-1" '
        'title="2 open comments: read them" aria-label="2 open comments">2</a></div>'
    ) in html
    # The same marker the editor's page shows on that row.
    page = logged_in(team["owner"]).get(reverse("draft-editor", args=[draft.pk])).content.decode()
    marker = re.search(r'<a class="comment-marker"[^>]*>2</a>', html)
    assert marker is not None
    assert marker.group(0) in page


def test_no_open_threads_is_an_empty_template(team):
    assert markers(logged_in(team["editor"]), team["draft"]) == "<template></template>"


def test_it_needs_a_login_and_a_member(team):
    url = reverse("live-comments", args=[team["draft"].pk])

    assert Client().get(url).status_code == 302
    assert logged_in(UserFactory(username="stranger")).get(url).status_code == 404
    assert logged_in(team["viewer"]).post(url).status_code == 405
