"""The operation table, the fake's routes, the connector's tools and the official spec agree."""

import importlib.util
import re

import pytest

from contracts.operations import OPERATIONS
from tests.conftest import SPEC_DIR


def fake_routes(app) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every route the fake serves, read from its OpenAPI."""
    return {
        operation["operationId"]: (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    }


def test_every_table_entry_has_its_route(app) -> None:
    routes = fake_routes(app)
    missing = sorted(op_id for op_id in OPERATIONS if op_id not in routes)
    assert not missing, f"operations without a route in the fake: {missing}"
    for op_id, (method, path) in routes.items():
        if op_id in OPERATIONS:
            assert (method, path) == (OPERATIONS[op_id].method, OPERATIONS[op_id].path), op_id


def test_every_intercom_route_is_in_the_table(app) -> None:
    stray = [
        f"{method} {path} ({op_id})"
        for op_id, (method, path) in fake_routes(app).items()
        if op_id not in OPERATIONS and not path.startswith(("/_sandbox", "/oauth", "/auth/"))
    ]
    assert not stray, f"routes outside the operation table: {stray}"


@pytest.mark.skipif(
    importlib.util.find_spec("connector.catalog") is None, reason="connector catalog not built"
)
def test_every_tool_calls_an_operation_of_the_table() -> None:
    from connector.catalog import all_tools

    for tool in all_tools():
        op = OPERATIONS.get(tool.operation_id)
        assert op is not None, f"{tool.name} calls {tool.operation_id}, which the table lacks"
        assert (tool.method, tool.path) == (op.method, op.path), tool.name


def _spec_operations(version: str) -> dict[str, tuple[str, str]]:
    yaml = pytest.importorskip("yaml")
    path = SPEC_DIR / f"api.intercom.io.{version}.yaml"
    if not path.exists():
        pytest.skip(f"the official description is not at {path}")
    spec = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        op["operationId"]: (method.upper(), route)
        for route, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


@pytest.mark.parametrize("version", ["2.15", "2.16"])
def test_table_matches_the_official_description(version: str) -> None:
    spec = _spec_operations(version)
    for op in OPERATIONS.values():
        if op.legacy or (version == "2.15" and op.since == "2.16"):
            continue
        assert op.operation_id in spec, f"{op.operation_id} is not in the {version} description"
        method, path = spec[op.operation_id]
        assert method == op.method, op.operation_id
        # Later descriptions rename path parameters ({contact_id} -> {id}); compare the shape.
        assert re.sub(r"\{[^}]+\}", "{}", path) == re.sub(r"\{[^}]+\}", "{}", op.path), op.operation_id
