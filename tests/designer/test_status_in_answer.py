"""An edit's answer carries the status when the editor asks (``with_status=1``): the problems, counts
and publish area after the edit, exactly what the status request would answer, and every row's badges
when the edit (or ``with_badges=1``) needs them. Without it, nothing of the status is in the answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from designer.models import Draft
from tests.factories import UserFactory, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def editor():
    owner = UserFactory()
    draft = make_draft(owner, "Close")
    add_job(draft, root_of(draft), "Reconcile cash")
    client = Client()
    client.force_login(owner)
    return client, Draft.objects.get(pk=draft.pk)


def add_job_answer(client, draft, **extra):
    return client.post(
        reverse("node-add", args=[draft.pk]),
        {"version": draft.version, "what": "sendTask", "parent": root_of(draft).key, "position": 1, **extra},
        headers=HX,
    )


def problems_section(html: str) -> str:
    match = re.search(r'<section id="problems".*?</section>', html, re.S)
    assert match, "no problems panel in the answer"
    return re.sub(r'\s+hx-swap-oob="true"', "", match.group(0))


def test_without_asking_the_answer_is_the_patch_alone(editor):
    client, draft = editor
    answer = add_job_answer(client, draft)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="outline-patch"' in html
    assert 'id="problems"' not in html


def test_asked_the_answer_carries_the_status_the_status_request_gives(editor):
    client, draft = editor
    answer = add_job_answer(client, draft, with_status="1")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.index('id="outline-patch"') < html.index('id="problems"')  # rows first, then their badges
    status = client.get(reverse("draft-status", args=[draft.pk]), headers=HX).content.decode()
    assert problems_section(html) == problems_section(status)
    assert 'id="badge-sync"' not in html


def test_with_badges_the_answer_carries_every_rows_badges(editor):
    client, draft = editor
    html = add_job_answer(client, draft, with_status="1", with_badges="1").content.decode()
    status = client.get(reverse("draft-status", args=[draft.pk]) + "?badges=1", headers=HX).content.decode()
    assert 'id="badge-sync"' in html
    badges = re.search(r'<div id="badge-sync".*?</div>\s*$', status, re.S)
    assert badges
    assert "data-for" in badges.group(0)  # the new job's missing assignee, at least
    assert badges.group(0).strip() in html
