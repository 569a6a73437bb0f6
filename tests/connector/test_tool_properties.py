"""Hypothesis: inputs drawn from each tool's own JSON schema are accepted; anything else is refused before sending."""

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector import CATALOG, Actions, ToolInputError

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
# Python values a caller may pass that JSON cannot carry.
not_json = st.sampled_from([float("inf"), float("nan"), b"bytes", {1, 2}, object()])
any_json = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A small JSON-Schema-to-strategy builder covering what tool schemas use."""
    kind = schema.get("type")
    if kind == "string":
        return st.text(min_size=schema.get("minLength", 0), max_size=12)
    if kind == "integer":
        return st.integers(min_value=-(2**31), max_value=2**31)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = from_schema(schema["items"]) if "items" in schema else json_scalars
        return st.lists(items, max_size=3)
    if kind == "object":
        properties = schema.get("properties")
        if properties is None:
            return st.dictionaries(st.text(max_size=6), any_json, max_size=3)
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {name: from_schema(sub) for name, sub in properties.items() if name in required},
            optional={name: from_schema(sub) for name, sub in properties.items() if name not in required},
        )
    return any_json


def input_schema(name: str) -> dict[str, Any]:
    return CATALOG.get(name).input_schema()


def arbitrary_input(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Declared names with values of any JSON type, sometimes an undeclared name, sometimes a gap."""
    properties = input_schema(name)["properties"]
    value = (
        any_json
        | not_json
        | st.lists(not_json, max_size=1)
        | st.dictionaries(st.text(max_size=3), not_json, max_size=1)
    )
    values = st.fixed_dictionaries({}, optional={key: value for key in properties})
    extra = st.dictionaries(st.sampled_from(["foo", "contact", "Query", "per-page"]), any_json, max_size=1)
    return st.builds(lambda known, unknown: {**known, **unknown}, values, extra)


class Recorder(httpx.BaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"type": "ok"})


RECORDER = Recorder()
# One client for every example: building an httpx client (its SSL context) costs more than a tool call.
ACTIONS = Actions(base_url="http://intercom.test", token="t", transport=RECORDER, max_retries=0)


def execute(name: str, tool_input: Any) -> tuple[bool, list[httpx.Request]]:
    RECORDER.requests = []
    try:
        ACTIONS.execute_tool(tool_input=tool_input, tool_name=name)
    except ToolInputError:
        return False, RECORDER.requests
    return True, RECORDER.requests


def check_request(name: str, request: httpx.Request) -> None:
    tool = CATALOG.get(name)
    assert request.method == tool.method
    # Braces left in the raw path would mean a placeholder was not filled (values are percent-encoded).
    assert b"{" not in request.url.raw_path and b"}" not in request.url.raw_path
    sent_query = set(request.url.params)
    assert sent_query <= {p.wire_name for p in tool.params if p.location == "query"}
    if request.content:
        body = json.loads(request.content)
        assert set(body) <= {p.wire_name for p in tool.params if p.location == "body"}
    assert not {"schema_version", "tool_version"} & (sent_query | set(json.loads(request.content or b"{}")))


TOOL_NAMES = [tool.name for tool in CATALOG]


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_inputs_from_the_schema_are_accepted_and_sent_once(name):
    @SETTINGS
    @given(from_schema(input_schema(name)))
    def accepted(tool_input):
        ok, requests = execute(name, tool_input)
        assert ok, tool_input
        assert len(requests) == 1
        check_request(name, requests[0])

    accepted()


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_any_other_input_is_accepted_or_refused_without_sending(name):
    @SETTINGS
    @given(arbitrary_input(name))
    def validated_or_refused(tool_input):
        ok, requests = execute(name, tool_input)
        if ok:
            assert len(requests) == 1
            check_request(name, requests[0])
        else:
            assert requests == []

    validated_or_refused()
