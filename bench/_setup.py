"""Shared set-up for benchmarks: Django on a throw-away test database."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")


def start() -> Callable[[], None]:
    """Set Django up on a fresh test database; return the function that drops it."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


# What a local run over plain HTTP changes in a production environment: no proxy ends TLS in front
# of it, clients reach it on 127.0.0.1, and the benchmarks log many users in from one address.
PLAIN_HTTP = {
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOGIN_IP_FAILURE_LIMIT": "100000",
}


def production_env(*, database_url: str, static_root: str, **overrides: str) -> dict[str, str]:
    """Return the environment of a production deployment (TLS at the proxy) for a subprocess.

    Used by the benchmarks (with ``**PLAIN_HTTP``) and by ``tests/test_production.py``; the
    settings come from this environment alone, so nothing of the caller's ``DJANGO_*``, ``SECURE_*``,
    ``SESSION_*``, ``CSRF_*`` or ``WORKIVA_SANDBOX`` leaks in. ``overrides`` are added last.
    """
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
    env.pop("WORKIVA_SANDBOX", None)
    env.update(
        DJANGO_SETTINGS_MODULE="designer.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="designer.example.com",
        CSRF_TRUSTED_ORIGINS="https://designer.example.com",
        DATABASE_URL=database_url,
        STATIC_ROOT=static_root,
        EMAIL_HOST="smtp.example.com",
    )
    env.update(overrides)
    return env


def median_ms(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def nested_process(jobs: int, *, groups: int = 10, subgroups: int = 10) -> dict:
    """A Process document with ``jobs`` sendTask jobs spread over nested groups."""
    per_leaf = max(1, jobs // (groups * subgroups))
    made = 0

    def task(n: int) -> dict:
        return {
            "type": "job",
            "job": {
                "arguments": {
                    "type": "sendTask",
                    "sendTaskArgs": {
                        "title": f"Reconcile account {n}",
                        "instructions": "Tie out the balance to the sub-ledger and attach support.",
                        "assigneeUser": f"user{n % 40}",
                        "dueDate": "2026-12-20",
                        "approverUser": "controller",
                        "approverDueDate": "2026-12-22",
                    },
                }
            },
        }

    top = []
    for g in range(groups):
        subs = []
        for s in range(subgroups):
            count = per_leaf if (g, s) != (groups - 1, subgroups - 1) else jobs - made
            children = [task(made + i) for i in range(count)]
            made += count
            subs.append({"type": "group", "group": {"name": f"Entity {g}.{s}", "parallel": True, "children": children}})
        top.append({"type": "group", "group": {"name": f"Region {g}", "parallel": False, "children": subs}})
    return {
        "name": f"Bench close {jobs}",
        "dueDate": "2026-12-31",
        "businessDaysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "root": {"name": "Close", "parallel": False, "readOnly": False, "triggerType": "whenEligible", "children": top},
    }
