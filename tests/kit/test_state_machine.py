"""`IntercomStateMachine` against the fake, over plain REST calls; and how a user extends it."""

import pytest
from hypothesis import HealthCheck, settings

from fake_intercom.sandbox_client import SandboxWorkspace
from fake_intercom.testing import HttpDriver, IntercomStateMachine, run_state_machine

SETTINGS = settings(
    max_examples=6,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_inbox_matches_its_model_over_rest(empty: SandboxWorkspace) -> None:
    run_state_machine(IntercomStateMachine, empty, HttpDriver, SETTINGS)


def test_an_unbound_machine_says_how_to_run_it() -> None:
    with pytest.raises(TypeError, match="run_state_machine"):
        IntercomStateMachine()


def test_the_inbox_matches_its_model_through_the_connectors_tools(empty: SandboxWorkspace) -> None:
    from connector.testing import ConnectorDriver

    run_state_machine(IntercomStateMachine, empty, ConnectorDriver, SETTINGS)
