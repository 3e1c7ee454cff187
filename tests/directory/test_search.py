"""Directory search: what matches, in which order, and that it stays one indexed query at 10,000 users."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import DirectoryFile, DirectoryUser, FileTerm, UserTerm
from directory.selectors import _matching, files_search, users_by_id, users_search
from directory.services import terms_of
from processes_api.sandbox.directory import _users

pytestmark = pytest.mark.django_db


def add_users(seeded):
    now = timezone.now()
    rows = DirectoryUser.objects.bulk_create(
        DirectoryUser(
            workiva_id=u["id"],
            display_name=u["displayName"],
            email=u.get("email", ""),
            username=u.get("username", ""),
            suspended=u.get("status") == "suspended",
            synced=now,
        )
        for u in seeded
    )
    UserTerm.objects.bulk_create(
        UserTerm(user=r, term=t) for r in rows for t in terms_of(r.display_name, r.email, r.username, r.workiva_id)
    )
    return rows


def test_matches_the_start_of_any_word_of_name_email_username_or_id():
    add_users(
        [
            {"id": "QWRh", "displayName": "Ada Lovelace", "email": "countess@example.com", "username": "alove"},
            {"id": "R3Jh", "displayName": "Grace Hopper", "email": "grace@example.com", "username": "ghopper"},
        ]
    )

    def ids(q):
        return [u.workiva_id for u in users_search(q)]

    assert ids("lov") == ["QWRh"]
    assert ids("LOVELACE") == ["QWRh"]
    assert ids("countess@") == ["QWRh"]
    assert ids("ghop") == ["R3Jh"]
    assert ids("r3jh") == ["R3Jh"]
    assert ids("ace") == []  # inside a word, not at its start
    assert ids("grace hop") == ["R3Jh"]
    assert ids("grace lov") == []
    assert ids("   ") == []


def test_active_users_come_first_then_by_name():
    add_users(
        [
            {"id": "1", "displayName": "Ann Zed"},
            {"id": "2", "displayName": "Ann Able", "status": "suspended"},
            {"id": "3", "displayName": "Ann Bee"},
        ]
    )

    assert [u.display_name for u in users_search("ann")] == ["Ann Bee", "Ann Zed", "Ann Able"]


def test_non_ascii_and_apostrophes_are_searchable():
    add_users([{"id": "1", "displayName": "Zoë O'Brien"}, {"id": "2", "displayName": "José Núñez"}])

    assert [u.workiva_id for u in users_search("zoë o'b")] == ["1"]
    assert [u.workiva_id for u in users_search("núñ")] == ["2"]


def test_files_search_by_kind_and_name():
    now = timezone.now()
    doc = DirectoryFile.objects.create(workiva_id="a" * 32, name="Q1 2026 10-Q", kind="Document", synced=now)
    sheet = DirectoryFile.objects.create(workiva_id="b" * 32, name="Q1 trial balance", kind="Spreadsheet", synced=now)
    for f in (doc, sheet):
        FileTerm.objects.bulk_create(FileTerm(file=f, term=t) for t in terms_of(f.name, f.workiva_id))

    assert files_search("q1") == [doc, sheet]
    assert files_search("q1", kind="Spreadsheet") == [sheet]
    assert files_search("10-q") == [doc]
    assert files_search("", kind="Document") == [doc]


def test_users_by_id_names_known_ids_and_leaves_out_the_rest():
    add_users([{"id": "u1", "displayName": "Ada", "email": "ada@example.com", "status": "suspended"}])

    known = users_by_id(["u1", "nobody", ""])

    assert list(known) == ["u1"]
    assert known["u1"].label == "Ada"
    assert known["u1"].suspended


def test_search_at_10000_users_is_one_indexed_query():
    add_users(_users(10_000))

    with CaptureQueriesContext(connection) as queries:
        found = users_search("lov")

    assert len(found) == 20
    assert all(any(t.startswith("lov") for t in terms_of(u.display_name, u.email)) for u in found)
    assert len(queries) == 1
    sql, params = _matching(DirectoryUser.objects.all(), UserTerm, "user", "lov").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
            assert "USING COVERING INDEX directory_user_term (term>? AND term<?)" in plan
            assert "SCAN" not in plan.replace("SCAN U0 USING", "")  # no full scan of the users
        else:
            cursor.execute("ANALYZE directory_userterm")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert "directory_user_term" in plan
    print(f"plan: {plan}; load average {os.getloadavg()}")
