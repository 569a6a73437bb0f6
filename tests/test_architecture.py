"""The shape of the code: no import cycle inside the fake, and the rooms depend on one another only as
DESIGN.md draws them (the fake and the contracts never import the connector)."""

import graphlib

import grimp
import pytest

from contracts.operations import OPERATIONS
from fake_intercom.resources import resource_modules
from tests.helpers.modules import modules_loaded_by

PACKAGES = ("fake_intercom", "contracts", "connector")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Every import counts, those inside functions too: an import moved into a function still ties the
    # two modules together. Imports only for type checkers never run.
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)


def import_cycle(graph: grimp.ImportGraph, package: str) -> list[str] | None:
    """One cycle of imports among the modules of `package`, or None."""
    modules = {module for module in graph.modules if module == package or module.startswith(f"{package}.")}
    imports = {module: graph.find_modules_directly_imported_by(module) & modules for module in modules}
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as cycle:
        return list(cycle.args[1])
    return None


def test_the_fake_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    assert import_cycle(graph, "fake_intercom") is None


def test_the_contracts_have_no_import_cycle(graph: grimp.ImportGraph) -> None:
    assert import_cycle(graph, "contracts") is None


@pytest.mark.parametrize(
    ("importer", "imported"),
    [("fake_intercom", "connector"), ("contracts", "connector"), ("contracts", "fake_intercom")],
)
def test_a_room_never_imports_another_it_must_not_know(
    graph: grimp.ImportGraph, importer: str, imported: str
) -> None:
    chains = graph.find_shortest_chains(importer=importer, imported=imported)
    assert not chains, [" -> ".join(chain) for chain in chains]


def test_the_gateway_imports_no_resource(graph: grimp.ImportGraph) -> None:
    imported = graph.find_modules_directly_imported_by("fake_intercom.gateway")
    assert not {module for module in imported if module.startswith("fake_intercom.resources")}


def test_each_route_lives_in_the_module_of_its_resource() -> None:
    # A reader who knows the operation table's resource knows the file: contacts' operations are served
    # by fake_intercom/resources/contacts.py, as the connector's tools live in connector/tools/contacts.py.
    misplaced = [
        (route.operation_id, OPERATIONS[route.operation_id].resource, module.__name__)
        for module in resource_modules()
        for route in module.router.routes
        if OPERATIONS[route.operation_id].resource != module.__name__.rsplit(".", 1)[-1]
    ]
    assert misplaced == []


def test_the_pytest_plugin_loads_nothing_of_the_app() -> None:
    # Every pytest run in an environment with fake-intercom installed loads the plugin: it must stay
    # cheap until one of its fixtures is used.
    loaded = modules_loaded_by("import fake_intercom.pytest_plugin")
    assert "fake_intercom.app" not in loaded
    assert "fastapi" not in loaded


def test_the_app_loads_jinja2_only_when_the_inspector_renders_a_page() -> None:
    # A server that never shows a page does not pay for the template engine at start-up.
    loaded = modules_loaded_by("import fake_intercom.app")
    assert "fake_intercom.inspector.render" in loaded
    assert "jinja2" not in loaded
