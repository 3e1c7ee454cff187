from __future__ import annotations

import re

import pytest
import yaml
from django.db import connection
from django.urls import URLPattern, URLResolver
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(yaml.safe_load(yaml.safe_dump(document)), cls=OpenAPIV31SpecValidator)


def _v1_routes():
    import api.urls

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    return [
        (route, p)
        for route, p in walk(api.urls.urlpatterns, "/api/v1/")
        if p.name not in ("api-v1-schema", "api-v1-docs", None)  # None: the catch-all 404
    ]


def test_every_endpoint_and_method_is_described(document):
    described = {(re.sub(r"\{\w+\}", "{}", path), method) for path, ops in document["paths"].items() for method in ops}
    missing = []
    for route, pattern in _v1_routes():
        path = re.sub(r"<\w+:\w+>", "{}", route)
        view = pattern.callback.view_class
        for method in ("get", "post", "patch", "put", "delete"):
            if hasattr(view, method) and (path, method) not in described:
                missing.append((path, method))

    assert missing == []
    assert len(described) >= 15


def test_every_write_on_a_draft_documents_if_match_and_refusals(document):
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if (
                method in ("patch", "delete")
                and "/drafts/{id}/" in path
                and "members" not in path
                and "comments" not in path
            ):
                names = {p["name"] for p in op.get("parameters", [])}
                assert "If-Match" in names, (path, method)
                assert {"412", "428"} <= codes, (path, method)
            assert "401" in codes, (path, method)
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (path, method, code)


def test_schema_is_served(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"openapi: 3.1.0" in response.content


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="docs/openapi.yaml is generated on the embedded SQLite default: integer ranges come from the database "
    "backend (PostgreSQL's integer is 32-bit), so the document is compared on SQLite only",
)
def test_the_checked_in_document_is_the_one_the_code_generates(tmp_path):
    from pathlib import Path

    from django.core.management import call_command

    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated))

    checked_in = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
    assert generated.read_text() == checked_in.read_text(), (
        "docs/openapi.yaml is out of date: run manage.py spectacular --file docs/openapi.yaml"
    )


def test_the_docs_page_uses_only_our_own_files_and_no_inline_code(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<style" not in html
    assert "<script>" not in html
    assert "http://" not in html
    assert "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "Content-Security-Policy" in page


def test_an_unknown_url_under_the_api_is_a_problem_404(client):
    response = client.get("/api/v1/submissions/null/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
