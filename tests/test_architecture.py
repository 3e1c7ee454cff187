"""The import graph: layers run one way and no module imports one that imports it back."""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("api", "checklists", "live", "publishing", "gallery", "designer", "directory", "processes_api")
# live and publishing sit side by side (neither imports the other); designer.asgi mounts live's
# websocket routes, the one import allowed upwards (as in the import-linter contract).
LAYERS = (
    grimp.Layer("api", "checklists"),
    grimp.Layer("live", "publishing"),
    "gallery",
    "designer",
    "directory",
    "processes_api",
)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_one_that_imports_it_back(graph):
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.append(" → ".join((importer, *back)))

    assert cycles == []


def test_processes_api_imports_nothing_from_the_layers_above(graph):
    upward = graph.find_illegal_dependencies_for_layers(layers=LAYERS, containers=None)

    assert {(d.importer, d.imported) for d in upward} <= {("designer", "live")}
    for dependency in upward:  # only from the ASGI entry point
        assert all(route.heads == frozenset({"designer.asgi"}) for route in dependency.routes), dependency
    assert not graph.chain_exists(importer="processes_api", imported="designer", as_packages=True)
    assert not graph.chain_exists(importer="processes_api", imported="publishing", as_packages=True)


def test_the_graph_is_the_real_one(graph):
    # Guards the two tests above against an empty or partial graph (they would pass vacuously).
    assert graph.chain_exists(importer="publishing.services.submissions", imported="designer.services.revisions")
    assert graph.chain_exists(importer="designer.services.drafts", imported="processes_api.payload")
    assert graph.chain_exists(importer="api.views.drafts", imported="designer.services.drafts")
    assert len(graph.modules) > 60
