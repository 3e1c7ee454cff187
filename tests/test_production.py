"""The production configuration: deploy checks, start-up errors, health, login throttling, logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from bench._setup import production_env
from designer.logsafe import REDACTED, RedactSecretsFilter, redact

ROOT = Path(__file__).resolve().parent.parent


def prod_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """``production_env`` on a SQLite file and a static root under ``tmp_path``."""
    return production_env(
        database_url=f"sqlite:///{tmp_path / 'prod.sqlite3'}", static_root=str(tmp_path / "static"), **overrides
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_in(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- settings from the environment ---------------------------------------------------------


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    done = manage(prod_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_reports_a_relaxed_security_setting(tmp_path):
    # The clean run above means something only if the check notices a weakened setting.
    done = manage(prod_env(tmp_path, SESSION_COOKIE_SECURE="0"), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert "security.W012" in done.stdout + done.stderr


def test_collectstatic_builds_hashed_compressed_files_in_production(tmp_path):
    # The release step: fails when a static file (e.g. a vendored script) references a missing file.
    done = manage(prod_env(tmp_path), "collectstatic", "--no-input", "-v0")
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/app.css"]
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed_css)
    assert (tmp_path / "static" / (hashed_css + ".gz")).exists()


def test_missing_secret_key_stops_start_up_with_a_clear_message(tmp_path):
    env = prod_env(tmp_path)
    del env["SECRET_KEY"]
    done = manage(env, "check")
    assert done.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set. Production (DEBUG=0) needs a long random SECRET_KEY" in (
        done.stderr
    )


def test_production_defaults_are_strict(tmp_path):
    values = settings_in(
        prod_env(tmp_path),
        "DEBUG",
        "WORKIVA_SANDBOX",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_AGE",
        "STORAGES",
        "LOG_FORMAT",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values["DEBUG"] is False
    assert values["WORKIVA_SANDBOX"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert "CompressedManifestStaticFilesStorage" in str(values["STORAGES"])
    assert values["LOG_FORMAT"] == "json"
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # opt-in only


def test_sandbox_and_proxy_header_are_opt_in_in_production(tmp_path):
    values = settings_in(
        prod_env(tmp_path, WORKIVA_SANDBOX="1", SECURE_PROXY_SSL_HEADER="1"),
        "WORKIVA_SANDBOX",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values["WORKIVA_SANDBOX"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_embedded_default_runs_with_debug_and_the_sandbox(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "WORKIVA_SANDBOX"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    values = settings_in(env, "DEBUG", "WORKIVA_SANDBOX", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE")
    assert values == {
        "DEBUG": True,
        "WORKIVA_SANDBOX": True,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
    }


def test_password_policy_needs_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")
    validate_password("correct horse battery staple")


# --- health ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_returns_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_returns_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_https_redirect_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


# --- content security policy -----------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_has_a_csp_and_no_inline_script_or_style(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert 'src="' in tag, tag
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r" on[a-z]+=", html) is None
    assert '"includeIndicatorStyles":false' in html


# --- login throttling ------------------------------------------------------------------------


@pytest.fixture
def throttle(settings, db):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_IP_FAILURE_LIMIT = 10
    settings.LOGIN_LOCKOUT_SECONDS = 600
    settings.LOGIN_REDIRECT_URL = "/"  # the draft list lives on the editor's branch
    cache.clear()
    yield settings
    cache.clear()


PASSWORD = "pw-123456-long"


def make_user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def login(client, username, password, url="/login/", ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_locks_after_repeated_failures_with_a_clear_message(client, throttle):
    make_user("alice")
    for _ in range(3):
        response = login(client, "alice", "wrong")
        assert "Please enter a correct username and password" in response.content.decode()
    response = login(client, "alice", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed log-in attempts" in body
    assert "blocked for 10 more minute(s)" in body
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, throttle):
    make_user("alice")
    make_user("bob")
    for _ in range(3):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, "bob", PASSWORD).status_code == 302


def test_one_address_is_locked_after_many_failures_for_any_usernames(client, throttle):
    make_user("alice")
    for n in range(10):
        login(client, f"guess{n}", "wrong")
    assert "Too many failed log-in attempts" in login(client, "alice", PASSWORD).content.decode()


def test_successful_login_clears_the_failure_count(client, throttle):
    make_user("alice")
    login(client, "alice", "wrong")
    login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    login(client, "alice", "wrong")
    login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302


def test_lockout_ends_when_the_window_has_passed(client, throttle, monkeypatch):
    import designer.throttle as throttle_module

    make_user("alice")
    for _ in range(3):
        login(client, "alice", "wrong")
    real_time = throttle_module.time.time
    monkeypatch.setattr(throttle_module.time, "time", lambda: real_time() + 601)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(client, throttle):
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(3):
        login(client, "root", "wrong", url="/admin/login/")
    response = login(client, "root", PASSWORD, url="/admin/login/")
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- logging ---------------------------------------------------------------------------------


def emit(*args, **kwargs) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactSecretsFilter())
    log = logging.getLogger("tests.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning(*args, **kwargs)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    return stream.getvalue()


def test_log_redaction_removes_tokens_from_messages_and_arguments():
    line = emit("calling API with headers %s", {"Authorization": "Bearer eyJhbGciOi.secret-part"})
    record = json.loads(line)
    assert "eyJhbGciOi" not in line
    assert record["message"] == "calling API with headers {'Authorization': '[REDACTED]'}"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('token response {"access_token": "tok-abc123", "expires_in": 3600}', "tok-abc123"),
        ("grant_type=client_credentials&client_id=x&client_secret=s3cr3t-value", "s3cr3t-value"),
        ("GET /drafts/?token=abc123 HTTP/1.1", "abc123"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("refresh failed: password=hunter2", "hunter2"),
    ],
)
def test_redact_removes_secret_values(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_redact_leaves_ordinary_messages_alone():
    assert redact("published draft 12 as process 9f2 in 840 ms") == "published draft 12 as process 9f2 in 840 ms"


@pytest.mark.parametrize(
    "text",
    ["Unexpected token: expected comma at line 3", "the secret: keep it short", "password: too short to guess"],
)
def test_redact_keeps_the_word_after_a_plain_secret_word(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("token: abc123def", "abc123def"),
        ("password: hunter2", "hunter2"),
        ("secret: correct-horse-battery-staple", "correct-horse-battery-staple"),
        ("access_token: opaque", "opaque"),
        ("X-Api-Key: abcdef", "abcdef"),
    ],
)
def test_redact_removes_token_like_values_after_a_colon(text, secret):
    assert secret not in redact(text)


def test_log_redaction_covers_extra_fields_and_tracebacks():
    try:
        raise RuntimeError("token request failed: client_secret=very-secret-1")
    except RuntimeError:
        line = emit("publish failed", exc_info=True, extra={"headers": {"Authorization": "Bearer zzz999"}, "draft": 7})
    record = json.loads(line)
    assert "very-secret-1" not in line
    assert "zzz999" not in line
    assert record["headers"] == {"Authorization": REDACTED}
    assert record["draft"] == 7
    assert "client_secret=[REDACTED]" in record["exc_info"]


def test_log_redaction_removes_the_configured_client_secret(settings):
    settings.WORKIVA_CLIENT_SECRET = "wk-live-0123456789abcdef"
    line = emit("unexpected reply mentioning wk-live-0123456789abcdef")
    assert "wk-live-0123456789abcdef" not in line


def test_every_configured_log_handler_redacts():
    handlers = django_settings.LOGGING["handlers"]
    assert handlers
    for handler in handlers.values():
        assert "redact" in handler["filters"]


def test_without_the_sandbox_the_workiva_defaults_are_workivas_hosts_and_no_grant():
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKIVA_") and k not in ("DEBUG", "SECRET_KEY")}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="designer.example.com")
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='designer.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.WORKIVA_SANDBOX, s.WORKIVA_API_URL, s.WORKIVA_TOKEN_URL, repr(s.WORKIVA_CLIENT_ID), repr(s.WORKIVA_CLIENT_SECRET))"
    )

    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    assert out.split() == [
        "False",
        "https://api.app.wdesk.com",
        "https://api.app.wdesk.com/iam/v1/oauth2/token",
        "''",
        "''",
    ]


def test_the_sandbox_defaults_follow_the_port_the_server_runs_on():
    code = "from django.conf import settings; print(settings.WORKIVA_API_URL, settings.WORKIVA_TOKEN_URL)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKIVA_", "SERVER_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="designer.settings", PORT="8101", HOST="127.0.0.1")

    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()

    assert out == ["http://127.0.0.1:8101/sandbox", "http://127.0.0.1:8101/sandbox/iam/v1/oauth2/token"]
