"""Server-Timing carries the application's time, and nothing else (designer/timing.py)."""

from __future__ import annotations

import re

from django.test import Client


def test_every_answer_says_how_long_the_application_took(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])


def test_it_can_be_turned_off(db, settings):
    settings.SERVER_TIMING = False
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "Server-Timing" not in response
