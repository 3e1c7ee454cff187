"""Create the demo account and a sample draft (the API page's example) when they are missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from designer.models import Draft
from designer.services.drafts import draft_import

EXAMPLE = Path(__file__).resolve().parents[3] / "processes_api" / "examples" / "create_process_request.json"


class Command(BaseCommand):
    help = "Create user demo (password demo, staff) and a sample draft, unless they exist."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        user = users.filter(username="demo").first()
        if user is None:
            user = users.create_user(
                "demo", email="demo@example.com", password="demo", is_staff=True, is_superuser=True
            )
            self.stdout.write("Created user demo (password demo).")
        if not Draft.objects.filter(owner=user).exists():
            draft = draft_import(data=json.loads(EXAMPLE.read_text()), owner=user)
            self.stdout.write(f"Created sample draft {draft.pk}: {draft.name}")
