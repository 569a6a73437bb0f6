"""Hypothesis: inputs drawn from each tool's own JSON schema are accepted and sent as declared; anything
else is refused before any request."""

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector import CATALOG, IntercomClient, ToolInputError
from connector.translations import TRANSLATIONS
from contracts.jsonschema_strategies import any_json, from_schema

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Python values a caller may pass that JSON cannot carry.
not_json = st.sampled_from([float("inf"), float("nan"), b"bytes", {1, 2}, object()])


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
CLIENT = IntercomClient("t", base_url="http://intercom.test", transport=RECORDER, max_retries=0)


def execute(name: str, tool_input: Any) -> tuple[bool, bool, list[httpx.Request]]:
    """(input valid by the schema, executed without ToolInputError, requests sent)."""
    RECORDER.requests = []
    tool = CATALOG.get(name)
    try:
        CATALOG.validate(tool, tool_input)
    except ToolInputError:
        valid = False
    else:
        valid = True
    try:
        CATALOG.execute(CLIENT, tool, tool_input)
    except ToolInputError:
        return valid, False, RECORDER.requests
    return valid, True, RECORDER.requests


def check_request(name: str, request: httpx.Request) -> None:
    tool = CATALOG.get(name)
    assert request.method == tool.method
    # Braces left in the raw path would mean a placeholder was not filled (values are percent-encoded).
    assert b"{" not in request.url.raw_path and b"}" not in request.url.raw_path
    sent_query = set(request.url.params)
    assert sent_query <= {p.wire_name for p in tool.params if p.location == "query"}
    assert not {"schema_version", "tool_version"} & (sent_query | set(json.loads(request.content or b"{}")))
    if tool.name in TRANSLATIONS:
        return  # a translation sends 2.15's body, not the tool's parameters (tests/connector/test_translations.py)
    if request.content:
        body = json.loads(request.content)
        assert set(body) <= {p.wire_name for p in tool.params if p.location == "body"} | set(tool.fixed_body)


def check_lookups(requests: list[httpx.Request]) -> None:
    # Lookups only read: GETs, or a contact search.
    assert all(r.method == "GET" or r.url.path.endswith("/search") for r in requests), requests


TOOL_NAMES = [tool.name for tool in CATALOG]


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_inputs_from_the_schema_are_accepted_and_sent(name):
    @SETTINGS
    @given(from_schema(input_schema(name)))
    def accepted(tool_input):
        valid, ok, requests = execute(name, tool_input)
        assert valid, tool_input
        if not ok:
            # Only a translation whose lookup found nothing may refuse valid input, and it writes nothing.
            assert name in TRANSLATIONS, tool_input
            check_lookups(requests)
            return
        check_lookups(requests[:-1])
        check_request(name, requests[-1])
        if name not in TRANSLATIONS:
            assert len(requests) == 1

    accepted()


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_invalid_input_is_refused_before_any_request(name):
    @SETTINGS
    @given(arbitrary_input(name))
    def validated_or_refused(tool_input):
        valid, ok, requests = execute(name, tool_input)
        if not valid:
            assert not ok and requests == []
        elif ok:
            check_lookups(requests[:-1])
            check_request(name, requests[-1])

    validated_or_refused()


# Against the fake (any schema-valid input gets a typed answer, never a 5xx): tests/kit/test_tool_inputs.py.
