"""HTTP client for the Workiva Processes API: OAuth token, version header, timeouts and retries.

Policy:

- One ``requests.Session`` per client. The client-credentials token is fetched with HTTP Basic auth
  and kept in Django's cache (shared by every web and worker process) until shortly before it
  expires; a 401 from the API drops it and retries once with a fresh one.
- Every request carries ``X-Version`` and connect/read timeouts.
- 429/502/503/504 are retried with exponential backoff that honours ``Retry-After``, as long as the
  total wait stays within ``retry_budget`` seconds. A create (not idempotent) is not retried after
  502/504 or after a timeout or dropped connection once the request was sent: the server may have
  acted on it, so the caller gets an :class:`ApiError` with ``outcome_unknown`` set and reconciles.
- Every failure is one :class:`ApiError` with the HTTP status, the parsed error body and raw text.
- Neither the client secret nor a token is ever logged or put in an exception message.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache
from urllib3.exceptions import NewConnectionError

from processes_api import schema
from processes_api.payload import dumps

logger = logging.getLogger(__name__)

# Refresh the token this many seconds before the server says it expires.
TOKEN_EXPIRY_MARGIN = 60


class ApiError(Exception):
    """A call that did not succeed.

    ``status`` is the HTTP status (None when no response came back), ``body`` the parsed JSON error
    body when there was one, ``text`` the raw response text. ``outcome_unknown`` is True when the
    request may have reached the server and been acted on (a timeout or dropped connection after
    sending, or a gateway error).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: Any = None,
        text: str = "",
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.text = text
        self.outcome_unknown = outcome_unknown


def parse_body(text: str) -> Any:
    """Return ``text`` parsed as JSON, or None when it is empty or not JSON."""
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


@dataclass
class Client:
    api_url: str
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    version: str = schema.API_VERSION
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retry_budget: float = 30.0
    max_attempts: int = 5
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    cache: BaseCache = field(default_factory=lambda: default_cache, repr=False)
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    # HTTP requests made, by "METHOD /path" (retries and re-authentication included).
    requests_made: Counter[str] = field(default_factory=Counter, repr=False, compare=False)
    # The scopes the last token fetched here was granted ("scope" of the token answer), None when
    # no token was fetched by this client or the answer did not say.
    granted_scopes: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls, **overrides: Any) -> Client:
        values: dict[str, Any] = {
            "api_url": settings.WORKIVA_API_URL,
            "token_url": settings.WORKIVA_TOKEN_URL,
            "client_id": settings.WORKIVA_CLIENT_ID,
            "client_secret": settings.WORKIVA_CLIENT_SECRET,
            "version": settings.WORKIVA_API_VERSION,
            "connect_timeout": settings.WORKIVA_CONNECT_TIMEOUT,
            "read_timeout": settings.WORKIVA_READ_TIMEOUT,
            "retry_budget": getattr(settings, "WORKIVA_RETRY_BUDGET", 30.0),
        }
        values.update(overrides)
        return cls(**values)

    # --- token --------------------------------------------------------------------------------

    @property
    def _token_cache_key(self) -> str:
        # Keyed by where and for whom, never by the secret.
        ident = hashlib.sha256(f"{self.token_url}\n{self.client_id}".encode()).hexdigest()[:32]
        return f"workiva-token:{ident}"

    def token(self, *, fresh: bool = False) -> str:
        """Return a bearer token, from the shared cache unless ``fresh``."""
        if not fresh:
            cached = self._cached_token()
            if cached:
                return cached
        if not self.client_id or not self.client_secret:
            raise ApiError(
                "No Workiva API grant is configured: set WORKIVA_CLIENT_ID and WORKIVA_CLIENT_SECRET "
                "(see docs/deploy.md). Nothing was sent."
            )
        try:
            response = self._send(
                "POST",
                self.token_url,
                data={"grant_type": schema.TOKEN_GRANT_TYPE},
                auth=(self.client_id, self.client_secret),
                headers={"Accept": "application/json"},
                idempotent=True,
            )
        except ApiError as exc:
            # Whatever happened to the token request, the API request it was for was not sent.
            exc.outcome_unknown = False
            raise
        body = parse_body(response.text)
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise _token_error(response, body)
        token = str(body["access_token"])
        scope = body.get("scope")
        self.granted_scopes = tuple(scope.split()) if isinstance(scope, str) else None
        try:
            expires_in = float(body.get("expires_in") or schema.TOKEN_EXPIRES_IN_DEFAULT)
        except (TypeError, ValueError):
            expires_in = schema.TOKEN_EXPIRES_IN_DEFAULT
        lifetime = expires_in - TOKEN_EXPIRY_MARGIN if expires_in > 2 * TOKEN_EXPIRY_MARGIN else expires_in / 2
        if lifetime > 0:
            try:
                self.cache.set(self._token_cache_key, token, timeout=lifetime)
            except Exception as exc:  # the token still works; only sharing it failed
                logger.warning("Could not keep the Workiva API token in the cache: %s", type(exc).__name__)
        logger.info("Fetched a Workiva API token for client %s (valid %.0f s)", self.client_id, expires_in)
        return token

    def _cached_token(self) -> str:
        """Return the shared token, or "" when there is none or the cache cannot be read.

        A broken cache (e.g. its table missing) must not stop a publish before anything is sent:
        the client fetches its own token instead.
        """
        try:
            cached = self.cache.get(self._token_cache_key)
        except Exception as exc:
            logger.warning("Could not read the Workiva API token from the cache: %s", type(exc).__name__)
            return ""
        return cached if isinstance(cached, str) else ""

    def forget_token(self) -> None:
        try:
            self.cache.delete(self._token_cache_key)
        except Exception as exc:
            logger.warning("Could not drop the Workiva API token from the cache: %s", type(exc).__name__)

    # --- endpoints ----------------------------------------------------------------------------

    def create(self, payload: dict[str, Any] | str) -> dict[str, Any]:
        """``POST /processes``; return the created Process. Not retried once it may have been acted on."""
        body = payload if isinstance(payload, str) else _dumps(payload)
        return self._json("POST", schema.PROCESSES_PATH, data=body.encode(), idempotent=False, expect=(201, 200))

    def requests_to(self, method: str, path: str) -> int:
        """Return how many HTTP requests this client made to ``method path`` (retries included)."""
        return self.requests_made[f"{method} {_path_of(self._url(path))}"]

    def get(self, process_id: str, *, exclude_generated: bool = True) -> dict[str, Any]:
        params = {schema.EXCLUDE_GENERATED_PARAM: "true" if exclude_generated else "false"}
        return self._json("GET", schema.PROCESS_PATH.format(id=process_id), params=params)

    def list(self, *, name: str | None = None, page_size: int | None = None, limit: int | None = None) -> Iterator[Any]:
        """Yield processes (optionally whose name contains ``name``), following ``@nextLink``."""
        params: dict[str, Any] = {}
        if name is not None:
            params[schema.LIST_FILTER_PARAM] = schema.name_contains_filter(name)
        if page_size:
            params[schema.LIST_PAGE_SIZE_PARAM] = min(page_size, schema.MAX_PAGE_SIZE)
        for seen, item in enumerate(self.pages(schema.PROCESSES_PATH, params=params, what="process list"), 1):
            yield item
            if limit is not None and seen >= limit:
                return

    def pages(self, path: str, *, params: dict[str, Any] | None = None, what: str = "list") -> Iterator[Any]:
        """Yield the items of a paged list (``{"data": [...], "@nextLink": url}``), following ``@nextLink``.

        A page that is not a JSON object, or whose ``data`` is not a list, is an :class:`ApiError`
        (``what`` names the list in messages); so is a next link that repeats one already followed.
        """
        url: str | None = path
        followed: set[str] = set()
        while url:
            page = self._json("GET", url, params=params)
            items = page.get("data")
            if items is None:
                items = []
            if not isinstance(items, list):
                raise ApiError(
                    f"GET {_path_of(self._url(url))}: the {what} page's data is not a list",
                    status=200,
                    body=page,
                )
            yield from items
            next_link = page.get(schema.LIST_NEXT_LINK)
            if next_link in (None, ""):
                return
            if not isinstance(next_link, str):
                raise ApiError(f"GET {_path_of(self._url(url))}: the {what}'s next-page link is not a URL", status=200)
            url = self._next_url(next_link, what=what)
            if url in followed:
                raise ApiError(f"GET {_path_of(url)}: the {what}'s next-page link repeats a page already read")
            followed.add(url)
            params = {}  # the next link carries its own query

    def trash(self, process_id: str) -> None:
        self._request("DELETE", schema.PROCESS_PATH.format(id=process_id), expect=(204, 200))

    def validate(self, process_id: str) -> dict[str, Any]:
        return self._json("POST", schema.VALIDATION_PATH.format(id=process_id), idempotent=True)

    def run(self, process_id: str, *, send_complete_email: bool = False) -> dict[str, Any]:
        """``POST /processes/{id}/run``; return the ProcessRun. Not retried once it may have been acted on."""
        body = _dumps({"sendProcessCompleteEmail": send_complete_email}).encode()
        path = schema.RUN_PATH.format(id=process_id)
        return self._json("POST", path, data=body, idempotent=False, expect=(201, 200))

    def get_run(self, run_id: str) -> dict[str, Any]:
        """``GET /processRuns/{id}``; return the ProcessRun."""
        return self._json("GET", schema.PROCESS_RUN_PATH.format(id=run_id))

    # --- plumbing -----------------------------------------------------------------------------

    def _next_url(self, link: str, *, what: str = "process list") -> str:
        """Return the absolute URL of an ``@nextLink``, refusing one on another host than the API's.

        The request carries the bearer token: following a link elsewhere would hand it over.
        """
        url = self._url(link)
        there, here = urlsplit(url), urlsplit(self.api_url)
        if (there.scheme, there.hostname, there.port) != (here.scheme, here.hostname, here.port):
            raise ApiError(
                f"The {what}'s next-page link points to {there.scheme}://{there.netloc}, not to the "
                "configured API host; it was not followed."
            )
        return url

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.api_url.rstrip("/") + "/", path.lstrip("/"))

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._request(method, path, **kwargs)
        body = parse_body(response.text)
        if not isinstance(body, dict):
            raise ApiError(
                f"{method} {_path_of(path)} answered {response.status_code} without a JSON object",
                status=response.status_code,
                body=body,
                text=response.text,
            )
        return body

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        data: bytes | None = None,
        idempotent: bool | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> requests.Response:
        """Send an authorised API request; refresh the token once after a 401."""
        idempotent = method in ("GET", "DELETE") if idempotent is None else idempotent
        headers = {
            schema.VERSION_HEADER: self.version,
            "Accept": "application/json",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        url = self._url(path)
        for refreshed in (False, True):
            headers["Authorization"] = f"Bearer {self.token(fresh=refreshed)}"
            response = self._send(method, url, params=params, data=data, headers=headers, idempotent=idempotent)
            if response.status_code != 401 or refreshed:
                break
            logger.info("%s %s answered 401; fetching a fresh token and trying once more", method, _path_of(url))
            self.forget_token()
        if response.status_code not in expect:
            body = parse_body(response.text)
            raise ApiError(
                _describe(method, url, response.status_code, body),
                status=response.status_code,
                body=body,
                text=response.text,
                outcome_unknown=not idempotent and response.status_code in schema.AMBIGUOUS_STATUSES,
            )
        return response

    def _send(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> requests.Response:
        """Send one request, retrying throttling and transient errors within the budget."""
        waited = 0.0
        attempt = 0
        retry_statuses = (
            schema.RETRY_STATUSES
            if idempotent
            else tuple(s for s in schema.RETRY_STATUSES if s not in schema.AMBIGUOUS_STATUSES)
        )
        while True:
            attempt += 1
            response = self._request_once(method, url, attempt, **kwargs)
            if response.status_code not in retry_statuses or attempt >= self.max_attempts:
                return response
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is None:
                wait = self.backoff * (2 ** (attempt - 1))
            if waited + wait > self.retry_budget:
                logger.warning(
                    "%s %s: giving up after %d attempts; waiting %.1f s more would exceed the %.0f s budget",
                    method,
                    _path_of(url),
                    attempt,
                    wait,
                    self.retry_budget,
                )
                return response
            waited += wait
            self.sleep(wait)

    def _request_once(self, method: str, url: str, attempt: int, **kwargs: Any) -> requests.Response:
        """Make one HTTP request; raise :class:`ApiError` saying whether it may have reached the server."""
        started = time.monotonic()
        self.requests_made[f"{method} {_path_of(url)}"] += 1
        try:
            response = self.session.request(method, url, timeout=(self.connect_timeout, self.read_timeout), **kwargs)
        except requests.RequestException as exc:
            error = _transport_error(method, url, exc, self.read_timeout)
            logger.warning("%s (attempt %d)", error.message, attempt)
            raise error from None
        logger.info(
            "%s %s -> %s in %.0f ms (attempt %d)",
            method,
            _path_of(url),
            response.status_code,
            (time.monotonic() - started) * 1000,
            attempt,
        )
        return response


def _transport_error(method: str, url: str, exc: requests.RequestException, read_timeout: float) -> ApiError:
    """Return the :class:`ApiError` for a request that got no HTTP answer."""
    if isinstance(exc, requests.ConnectTimeout):
        return ApiError(f"{method} {_origin_and_path(url)}: could not connect in time")
    if isinstance(exc, requests.Timeout):
        return ApiError(
            f"{method} {_path_of(url)}: no answer within {read_timeout:g} s after sending", outcome_unknown=True
        )
    if isinstance(exc, requests.ConnectionError):
        sent = not _before_sending(exc)
        return ApiError(
            f"{method} {_origin_and_path(url)}: the connection "
            + ("broke after the request was sent" if sent else "could not be opened"),
            outcome_unknown=sent,
        )
    if isinstance(
        exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema | requests.exceptions.InvalidSchema
    ):
        return ApiError(f"{method} {url}: the URL is not valid; check the connection settings")
    return ApiError(
        f"{method} {_path_of(url)}: the answer could not be read ({type(exc).__name__})", outcome_unknown=True
    )


def _before_sending(exc: requests.ConnectionError) -> bool:
    """Return True when a connection error happened before any byte of the request was sent."""
    reason: Any = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the cause
    return isinstance(reason, NewConnectionError | ConnectionRefusedError)


def _token_error(response: requests.Response, body: Any) -> ApiError:
    if isinstance(body, dict) and body.get("error"):
        detail = body.get("error_description") or ""
        message = f"The token endpoint refused the credentials: {body['error']}" + (f" ({detail})" if detail else "")
    else:
        message = f"The token endpoint answered {response.status_code} without a token"
    # Never keep a body that may hold a token.
    text = response.text if response.status_code != 200 else ""
    return ApiError(message, status=response.status_code, body=body if response.status_code != 200 else None, text=text)


def _describe(method: str, url: str, status: int, body: Any) -> str:
    if isinstance(body, dict) and body.get("code"):
        return f"{method} {_path_of(url)} answered {status}: {body.get('code')}: {body.get('message') or ''}".rstrip(
            ": "
        )
    return f"{method} {_path_of(url)} answered {status}"


def _path_of(url: str) -> str:
    return urlsplit(url).path or url


def _origin_and_path(url: str) -> str:
    """Return ``url`` without its query: where a connection went, for messages that must name it."""
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"  # never the user:password@ part


def _dumps(data: Any) -> str:
    return dumps(data, indent=None)
