"""The operation table, the fake's routes, the connector's tools and the official spec agree."""

import importlib.util
import re

import pytest

from contracts.operations import OPERATIONS, available
from tests.conftest import SPEC_DIR


def fake_routes(app) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path) of every route the fake serves, read from its OpenAPI."""
    return {
        operation["operationId"]: (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    }


def shape(path: str) -> str:
    """Later descriptions rename path parameters ({contact_id} -> {id}); compare the shape."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_routes_agree_with_the_table(app) -> None:
    for op_id, (method, path) in fake_routes(app).items():
        if op_id in OPERATIONS:
            assert (method, path) == (OPERATIONS[op_id].method, OPERATIONS[op_id].path), op_id


def test_every_table_entry_has_its_route(app) -> None:
    """Coverage: every operation of 2.15, 2.16 and the legacy endpoints is served (by method and path
    shape, since 2.16 renamed an operation on an unchanged route)."""
    routed = {(method, shape(path)) for method, path in fake_routes(app).values()}
    unrouted = sorted(
        f"{op.method} {op.path} ({op.operation_id})"
        for op in OPERATIONS.values()
        if (op.method, shape(op.path)) not in routed
    )
    assert not unrouted, f"operations without a route in the fake: {unrouted}"


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


def _spec_operations(version: str) -> dict[tuple[str, str], str | None]:
    """(method, path shape) -> operationId (None where the spec gives none) of a description."""
    yaml = pytest.importorskip("yaml")
    path = SPEC_DIR / f"api.intercom.io.{version}.yaml"
    if not path.exists():
        pytest.skip(f"the official description is not at {path}")
    spec = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {
        (method.upper(), shape(route)): op.get("operationId")
        for route, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


@pytest.mark.parametrize("version", ["2.15", "2.16"])
def test_table_matches_the_official_description(version: str) -> None:
    spec = _spec_operations(version)
    table = {
        (op.method, shape(op.path)): op.operation_id
        for op in OPERATIONS.values()
        if not op.legacy and available(op, version)
    }
    assert sorted(spec) == sorted(table), f"the table and the {version} description list different operations"
    for route, op_id in spec.items():
        assert op_id in (None, table[route]), f"{route} is {op_id} in {version}, {table[route]} in the table"


def test_request_models_are_the_bodies_the_fake_parses(app) -> None:
    """`contracts.requests` names, for every operation of the table, the model its fake route reads."""
    from contracts.requests import REQUEST_MODELS

    declared = {}
    for item in app.openapi()["paths"].values():
        for operation in item.values():
            body = operation.get("requestBody")
            if operation["operationId"] in OPERATIONS and body is not None:
                declared[operation["operationId"]] = re.findall(r"schemas/(\w+)", str(body))[0]
    assert {op_id: model.__name__ for op_id, model in REQUEST_MODELS.items()} == declared
    assert set(REQUEST_MODELS) <= set(OPERATIONS)
