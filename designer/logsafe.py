"""Keep secrets out of the logs.

`RedactSecretsFilter` sits on every log handler (settings.LOGGING and gunicorn.conf.py). It
rewrites each record before it is formatted: Authorization headers, bearer tokens, and values of
token/secret/password/key fields — in the message, in the traceback and in `extra` fields — become
`[REDACTED]`, and so does any configured secret (SECRET_KEY, WORKIVA_CLIENT_SECRET, the SMTP
password) wherever it appears. After a plain word ("token: …", "password: …") only a value that
looks like a secret is redacted, so an ordinary sentence keeps its next word.
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[REDACTED]"

# Field names whose values are secret, as in `client_secret=...`, `"access_token": "..."`,
# `password: ...`, a header dict key, or an `extra` attribute name.
_SECRET_NAME = r"(?:[A-Za-z0-9_-]*(?:token|secret|password|passwd|api[_-]?key|session[_-]?id|csrf[_-]?token)[A-Za-z0-9_-]*|authorization|cookie|set-cookie)"
_SECRET_NAME_RE = re.compile(rf"^{_SECRET_NAME}$", re.IGNORECASE)
# Secret names that are also ordinary words in a sentence.
_BARE_WORDS = r"(?:token|secret|password|passwd)"
_TOKEN_CHAR = r"[A-Za-z0-9._~+/=-]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Bearer abc / Basic abc (header lines and header-like text)
    (re.compile(r"(?i)\b(authorization\s*[:=]\s*[\"']?)(?:bearer|basic|token)?\s*[^\s\"',;}]+"), r"\1" + REDACTED),
    # bare "Bearer abc" anywhere
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1" + REDACTED),
    # "name": "value"  /  'name': 'value'  (JSON and Python reprs)
    (
        re.compile(rf"(?i)([\"']{_SECRET_NAME}[\"']\s*:\s*)([\"'])(?:\\.|(?!\2).)*\2"),
        r"\1\2" + REDACTED + r"\2",
    ),
    # name=value (query strings, form bodies, key=value logs)
    (re.compile(rf"(?i)\b({_SECRET_NAME}\s*=\s*)(?![\"'\s])[^\s&,;\"'}}]+"), r"\1" + REDACTED),
    # name: value with a compound name (access_token, client_secret, X-Api-Key), which prose never uses
    (
        re.compile(rf"(?i)\b(?!{_BARE_WORDS}\b)({_SECRET_NAME}\s*:\s*)(?![\"'\s])[^\s&,;\"'}}]+"),
        r"\1" + REDACTED,
    ),
    # name: value with a plain word ("token: …", "password: …"): only a value that looks like a
    # secret — with a digit and 6+ characters, or 20+ characters — so "Unexpected token: expected
    # comma" stays readable.
    (
        re.compile(
            rf"(?i)\b({_BARE_WORDS}\s*:\s*)"
            rf"(?:(?=[A-Za-z._~+/=-]*[0-9]){_TOKEN_CHAR}{{6,}}|{_TOKEN_CHAR}{{20,}})(?!{_TOKEN_CHAR})"
        ),
        r"\1" + REDACTED,
    ),
]

# LogRecord's own attributes; anything else on a record came in through `extra=`.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _configured_secrets() -> list[str]:
    try:
        from django.conf import settings

        mail_options = getattr(settings, "MAILERS", {}).get("default", {}).get("OPTIONS", {})
        values = [
            getattr(settings, "SECRET_KEY", ""),
            getattr(settings, "WORKIVA_CLIENT_SECRET", ""),
            mail_options.get("password", ""),
        ]
    except Exception:  # settings not configured (e.g. gunicorn's master before Django loads)
        return []
    # Short values (the sandbox defaults) would redact ordinary words; real secrets are long.
    return [v for v in values if isinstance(v, str) and len(v) >= 12]


def redact(text: str) -> str:
    """Return `text` with every recognised secret replaced by [REDACTED]."""
    for secret in _configured_secrets():
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any, name: str = "") -> Any:
    """Redact a structured value: secret-named keys lose their values, strings are scanned."""
    if name and _SECRET_NAME_RE.match(name):
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


class RedactSecretsFilter(logging.Filter):
    """Rewrite a record so that no handler can emit a secret. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw template
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # Formatters would format exc_info afresh (the JSON one always does), unredacted.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRS:
                setattr(record, name, redact_value(value, name))
        return True
