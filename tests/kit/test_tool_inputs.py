"""`connector.testing`: every tool, for any input its schema allows, gets a typed answer from the demo
workspace; inputs its schema refuses never leave the connector."""

import pytest
from hypothesis import HealthCheck, given, settings

from connector import CATALOG, Actions, ToolInputError
from connector.pytest_plugin import actions_for
from connector.schemas import strict_exception, strict_schema
from connector.testing import assert_typed_outcome, invalid_tool_inputs, tool_inputs
from tests.connector.test_tool_properties import Recorder

TOOL_NAMES = [tool.name for tool in CATALOG]
# Fixed examples, so CI runs the same inputs every time and stays within its time.
FIXED = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture(scope="module")
def demo_actions(demo) -> Actions:
    actions = actions_for(demo, max_retries=0)
    yield actions
    actions.close()


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_every_tool_answers_generated_input_with_a_typed_outcome(demo_actions: Actions, name: str) -> None:
    @FIXED
    @given(tool_inputs(name))
    def typed(tool_input):
        assert_typed_outcome(demo_actions, name, tool_input)

    typed()


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_invalid_inputs_are_refused_before_anything_is_sent(name: str) -> None:
    recorder = Recorder()
    actions = Actions(base_url="http://intercom.test", token="t", transport=recorder)

    @FIXED
    @given(invalid_tool_inputs(name))
    def refused(tool_input):
        with pytest.raises(ToolInputError):
            actions.execute_tool(tool_input=tool_input, tool_name=name)
        assert recorder.requests == []

    refused()


@pytest.mark.parametrize("name", [tool.name for tool in CATALOG if strict_exception(tool) is None][::7])
def test_strict_inputs_are_what_strict_mode_lets_a_model_send(name: str) -> None:
    """Every key, nulls for what is not given; what strict mode cannot express (an id's minLength) is
    still refused by the connector, before anything is sent."""
    tool = CATALOG.get(name)
    keys = set(strict_schema(tool.model_schema())["properties"])

    @FIXED
    @given(tool_inputs(name, strict=True))
    def strict(tool_input):
        assert set(tool_input) == keys
        try:
            CATALOG.validate(tool, tool_input)
        except ToolInputError as error:
            assert error.field and tool.param(error.field.split(".")[0]).location == "path", error

    strict()
