"""A large review in the browser: pages of changes without JavaScript, axe-clean in both schemes."""

from __future__ import annotations

import pytest
from django.test import Client

from designer.models import Membership
from designer.services.drafts import draft_import
from designer.services.reviews import review_request_create
from tests.browser.test_accessibility import _context, _report, axe_violations
from tests.designer.test_review_paging import _document
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_large_review_pages_through_its_changes_without_javascript(browser, live_server, browser_user, scheme):
    reviewer = UserFactory(username="rita")
    draft = draft_import(data=_document(3, 110), owner=browser_user)
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    review_request_create(draft=draft, actor=browser_user, reviewers=[reviewer])
    context = _context(browser, live_server, scheme, reviewer)
    page = context.new_page()
    page.goto(f"{live_server.url}/drafts/{draft.pk}/review/")

    found = {"review, page 1": axe_violations(page)}
    assert page.locator("nav.pager").first.inner_text().startswith("Changes 1–200 of 334")
    assert page.locator("#changes li[data-key]").count() == 200
    page.locator("nav.pager a[rel=next]").first.click()
    page.wait_for_url("**changes=2**")
    assert page.locator("#changes li[data-key]").count() == 134
    assert page.locator("nav.pager a[rel=next]").count() == 0
    found["review, page 2"] = axe_violations(page)
    context.close()

    # Without JavaScript the links are plain links: the same pages.
    nojs = browser.new_context(java_script_enabled=False)
    client = Client()
    client.force_login(reviewer)
    nojs.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = nojs.new_page()
    page.goto(f"{live_server.url}/drafts/{draft.pk}/review/?changes=2#changes")
    assert page.locator("#changes li[data-key]").count() == 134
    page.locator("nav.pager a[rel=prev]").first.click()
    page.wait_for_url("**changes=1**")
    assert page.locator("#changes li[data-key]").count() == 200
    nojs.close()
    assert not {k: v for k, v in found.items() if v}, "\n" + _report(found)
