"""A long review in pages: the diff cut into pages of changes, the node picker cut to what is shown."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from designer.diff import FieldChange, NodeChange, TreeDiff
from designer.models import Membership
from designer.services.drafts import draft_import
from designer.services.reviews import review_request_create
from designer.views import review_paging
from designer.views.review_paging import diff_page
from tests.factories import UserFactory


def _changes(prefix: str, n: int) -> list[NodeChange]:
    return [NodeChange(key=f"{prefix}{i}", kind="job", label=f"{prefix} {i}", depth=1) for i in range(n)]


def _diff() -> TreeDiff:
    return TreeDiff(
        added=_changes("a", 5),
        removed=_changes("r", 2),
        moved=_changes("m", 1),
        changed=_changes("c", 4),
        process=[FieldChange("name", "Old", "New")],
    )


def _keys(diff: TreeDiff) -> list[str]:
    return [c.key for name in ("added", "removed", "moved", "changed") for c in getattr(diff, name)]


def test_pages_run_through_the_sections_in_order_and_keep_the_totals():
    diff = _diff()
    pages = [diff_page(diff, QueryDict(f"changes={n}"), per_page=5) for n in (1, 2, 3)]

    assert [_keys(p.diff) for p in pages] == [
        ["a0", "a1", "a2", "a3", "a4"],
        ["r0", "r1", "m0", "c0", "c1"],
        ["c2", "c3"],
    ]
    assert all(p.totals == {"added": 5, "removed": 2, "moved": 1, "changed": 4} for p in pages)
    assert [(p.first, p.last, p.total, p.pages) for p in pages] == [(1, 5, 12, 3), (6, 10, 12, 3), (11, 12, 12, 3)]
    # The process settings are shown once, on the first page.
    assert [len(p.diff.process) for p in pages] == [1, 0, 0]


@pytest.mark.parametrize(("asked", "shown"), [("", 1), ("0", 1), ("-2", 1), ("abc", 1), ("2", 2), ("99", 3)])
def test_the_page_asked_for_is_read_safely_and_clamped(asked, shown):
    assert diff_page(_diff(), QueryDict(f"changes={asked}"), per_page=5).number == shown


def test_links_keep_the_other_parameters():
    page = diff_page(_diff(), QueryDict("request=7&changes=2"), per_page=5)

    assert page.previous_url == "?request=7&changes=1#changes"
    assert page.next_url == "?request=7&changes=3#changes"
    first = diff_page(_diff(), QueryDict("request=7"), per_page=5)
    assert first.previous_url == ""


def test_a_small_diff_is_one_page():
    page = diff_page(_diff(), QueryDict(""))
    assert not page.is_paged
    assert _keys(page.diff) == _keys(_diff())


def test_an_empty_diff_is_one_empty_page():
    page = diff_page(TreeDiff(), QueryDict("changes=4"))
    assert (page.number, page.pages, page.first, page.last, page.total) == (1, 1, 0, 0, 0)
    assert page.diff.is_empty


# --- the review page ---------------------------------------------------------------------------------


def _document(groups: int, jobs: int) -> dict:
    return {
        "name": "Big close",
        "root": {
            "name": "Big close",
            "children": [
                {
                    "type": "group",
                    "group": {
                        "name": f"Phase {g}",
                        "children": [
                            {
                                "type": "job",
                                "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {"title": f"Task {g}.{j}"}}},
                            }
                            for j in range(jobs)
                        ],
                    },
                }
                for g in range(groups)
            ],
        },
    }


@pytest.fixture
def big_review(db):
    owner = UserFactory(username="olivia")
    reviewer = UserFactory(username="rita")
    draft = draft_import(data=_document(3, 110), owner=owner)  # 1 root + 3 groups + 330 jobs
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    review_request = review_request_create(draft=draft, actor=owner, reviewers=[reviewer])
    return draft, reviewer, review_request


def _entries(html: str) -> list[str]:
    return re.findall(r'<li data-key="([0-9a-f-]{36})" data-depth', html)


def _options(html: str) -> list[str]:
    picker = html.split('<select name="node">', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', picker)


def test_the_review_page_of_a_large_draft_shows_its_changes_in_pages(client, big_review):
    draft, reviewer, review_request = big_review
    client.force_login(reviewer)
    url = reverse("review-page", args=[draft.pk])

    first = client.get(url, {"request": review_request.pk}).content.decode()
    second = client.get(url, {"request": review_request.pk, "changes": 2}).content.decode()

    assert len(_entries(first)) == review_paging.PER_PAGE
    assert len(_entries(second)) == 334 - review_paging.PER_PAGE
    assert set(_entries(first)).isdisjoint(_entries(second))
    assert '<span class="pill">334</span>' in first
    assert '<span class="pill">334</span>' in second
    assert "Changes 1–200 of 334 (page 1 of 2)" in first
    assert f'href="?request={review_request.pk}&amp;changes=2#changes" rel="next"' in first
    assert f'href="?request={review_request.pk}&amp;changes=1#changes" rel="prev"' in second
    assert 'rel="next"' not in second


def test_the_node_picker_of_a_large_draft_holds_the_groups_and_the_shown_items(client, big_review):
    draft, reviewer, review_request = big_review
    client.force_login(reviewer)
    html = client.get(reverse("review-page", args=[draft.pk]), {"request": review_request.pk}).content.decode()

    options = _options(html)
    shown = set(_entries(html))
    groups = {str(key) for key in draft.nodes.filter(kind="group").values_list("key", flat=True)}
    assert options[0] == ""  # the whole draft
    assert set(options[1:]) == groups | (shown & {str(k) for k in draft.nodes.values_list("key", flat=True)})
    assert len(options) < 334
    assert 'id="picker-cut"' in html


def test_a_small_draft_keeps_one_page_and_every_node_in_the_picker(client, team):
    client.force_login(team["reviewer"])
    html = client.get(reverse("review-page", args=[team["draft"].pk])).content.decode()

    assert 'class="pager"' not in html
    assert 'id="picker-cut"' not in html
    assert len(_options(html)) == 1 + team["draft"].nodes.count()


def test_the_compare_page_of_two_revisions_is_paged_too(client, big_review):
    draft, reviewer, review_request = big_review
    client.force_login(reviewer)
    url = reverse("review-diff", args=[draft.pk])
    number = review_request.revision.number
    first = client.get(url, {"a": number, "b": "current"}).content.decode()
    assert 'class="pager"' not in first  # nothing changed: one empty page
    assert "No differences." in first

    # 330 jobs removed since the revision (straight in the table: only the diff's size matters here).
    draft.nodes.filter(kind="job").delete()
    draft.refresh_from_db()
    page_1 = client.get(url, {"a": number, "b": "current"}).content.decode()
    page_2 = client.get(url, {"a": number, "b": "current", "changes": 2}).content.decode()

    assert "Changes 1–200 of 330 (page 1 of 2)" in page_1
    assert '<span class="pill">330</span>' in page_1
    assert len(re.findall(r'<li data-key="[0-9a-f-]{36}"', page_1)) == 200
    assert len(re.findall(r'<li data-key="[0-9a-f-]{36}"', page_2)) == 130
    assert f'href="?a={number}&amp;b=current&amp;changes=2#changes" rel="next"' in page_1
