"""The pytest plugin, as a user's suite sees it: only its fixtures, run by pytest (and pytest -n 2)."""

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]

USER_SUITE = """
import pytest


@pytest.mark.intercom_seed("demo")
def test_starts_from_a_seeded_workspace(intercom_connector):
    assert intercom_connector.call("GET", "/contacts")["total_count"] >= 100


def test_the_connector_retries_an_injected_429(intercom_workspace, intercom_actions):
    intercom_workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1, retry_after=0)
    result = intercom_actions.execute_tool(
        tool_name="intercom_create_contact", tool_input={"email": "ada@example.com"}
    )
    assert result.data["email"] == "ada@example.com"
    assert [entry["status"] for entry in intercom_workspace.journal(writes=True)] == [429, 200]
    writes = intercom_workspace.journal(writes=True, injected=False)
    assert [(entry["operation_id"], entry["status"]) for entry in writes] == [("CreateContact", 200)]


def test_a_created_conversation_arrives_signed(intercom_workspace, intercom_actions, intercom_webhook_receiver):
    intercom_workspace.webhooks.subscribe(intercom_webhook_receiver.url, ["conversation.user.created"])
    contact = intercom_actions.execute_tool(
        tool_name="intercom_create_contact", tool_input={"email": "grace@example.com"}
    ).data
    message = intercom_actions.execute_tool(
        tool_name="intercom_create_conversation",
        tool_input={"from": {"type": "user", "id": contact["id"]}, "body": "My export is stuck"},
    ).data
    hook = intercom_webhook_receiver.wait_for("conversation.user.created")
    assert hook.signature_valid(intercom_workspace.client_secret)
    assert hook.item["type"] == "conversation"
    assert hook.item["id"] == message["conversation_id"]


def test_a_snoozed_conversation_wakes_when_the_clock_moves(intercom_workspace, intercom_connector):
    now = intercom_workspace.clock.freeze()
    contact = intercom_connector.call("POST", "/contacts", json={"email": "alan@example.com"})
    message = intercom_connector.call(
        "POST", "/conversations", json={"from": {"type": "user", "id": contact["id"]}, "body": "Hello"}
    )
    conversation = f"/conversations/{message['conversation_id']}"
    admin_id = intercom_connector.call("GET", "/me")["id"]
    intercom_connector.call(
        "POST",
        f"{conversation}/parts",
        json={"message_type": "snoozed", "admin_id": admin_id, "snoozed_until": now + 3600},
    )
    assert intercom_connector.call("GET", conversation)["state"] == "snoozed"
    intercom_workspace.clock.advance(minutes=59)
    assert intercom_connector.call("GET", conversation)["state"] == "snoozed"
    intercom_workspace.clock.advance(minutes=2)
    assert intercom_connector.call("GET", conversation)["state"] == "open"


@pytest.mark.parametrize("attempt", range(6))
def test_parallel_tests_never_collide(intercom_workspace, intercom_connector, attempt):
    intercom_connector.call("POST", "/contacts", json={"email": "same@example.com"})
    assert intercom_connector.call("GET", "/contacts")["total_count"] == 1
    assert len(intercom_workspace.journal()) == 2
"""


@pytest.fixture(autouse=True)
def project_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # For the subprocess run: the venv's editable install predates connector/__init__.py and maps
    # `connector` as a namespace package; put the project first, as a fresh install would.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


@pytest.fixture
def user_suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(test_integration=USER_SUITE)
    return pytester


def test_a_users_suite_runs_with_only_the_plugins_fixtures(user_suite: pytest.Pytester) -> None:
    result = user_suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=10)


def test_the_same_suite_under_xdist(user_suite: pytest.Pytester) -> None:
    result = user_suite.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=10)


def test_against_a_real_server(user_suite: pytest.Pytester) -> None:
    result = user_suite.runpytest("--intercom-sandbox=server", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=10)


def test_sdk_fixture_and_a_suites_own_fixtures(pytester: pytest.Pytester) -> None:
    pytest.importorskip("intercom")
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def workspace():
            return "the suite's own"
        """
    )
    pytester.makepyfile(
        """
        def test_sdk(intercom_sdk, intercom_workspace):
            assert intercom_sdk.admins.identify().app.id_code == intercom_workspace.id

        def test_own_fixture_is_not_shadowed(workspace, intercom_workspace):
            assert workspace == "the suite's own"
            assert intercom_workspace.token
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_bad_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nintercom_sandbox = somewhere\n")
    pytester.makepyfile("def test_x(intercom_sandbox):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)


# X-RateLimit-Limit is the allowance of a 10-second window: a sixth of the minute's, rounded up.
@pytest.mark.parametrize("ini, window", [("", "1667"), ("intercom_rate_limit = 1000000\n", "166667")])
def test_the_rate_limit_of_the_plugins_fake_is_intercoms_unless_raised(
    pytester: pytest.Pytester, ini: str, window: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}")
    pytester.makepyfile(
        f"""
        def test_limit(intercom_workspace):
            me = intercom_workspace.client().get("/me")
            assert me.headers["x-ratelimit-limit"] == "{window}"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


KIT_SUITE = """
from hypothesis import given, settings
from hypothesis.stateful import invariant

from connector.testing import ConnectorDriver
from fake_intercom import strategies as ist
from fake_intercom.testing import IntercomStateMachine

RUNS = []


class Counted(IntercomStateMachine):
    @invariant()
    def counted(self):
        RUNS.append(1)


def test_state_machine_over_rest_and_the_connector(intercom_state_machine):
    # A few examples under any profile: a long run waits out Intercom's rate limit, as it should.
    few = settings(max_examples=3, stateful_step_count=10)
    intercom_state_machine(Counted, settings=few)
    intercom_state_machine(Counted, driver=ConnectorDriver, settings=few)
    assert RUNS


def test_scripted_model(intercom_scripted_model, intercom_workspace):
    model = intercom_scripted_model([[("intercom_create_contact", {"email": "ada@example.com"})]])
    model.inject(0, action="rate_limit", operation_id="CreateContact", times=1, retry_after=0)
    (call,) = model.run()
    assert call.successful and call.data["email"] == "ada@example.com"
    assert [entry["status"] for entry in intercom_workspace.journal()] == [429, 200]


SEEN = []


@given(ist.contacts())
def test_profile(body):
    SEEN.append(body)


def test_profile_chose_the_examples():
    print("examples:", len(SEEN), settings().derandomize)
"""


@pytest.mark.parametrize(("profile", "examples", "derandomized"), [("ci", 10, True), ("dev", 200, False)])
def test_the_kits_fixtures_and_hypothesis_profiles(
    pytester: pytest.Pytester, profile: str, examples: int, derandomized: bool
) -> None:
    pytester.makepyfile(test_kit=KIT_SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-s", f"--intercom-hypothesis-profile={profile}")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines([f"*examples: {examples} {derandomized}*"])
