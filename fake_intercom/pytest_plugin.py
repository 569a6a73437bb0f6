"""pytest fixtures for testing an Intercom integration against the sandbox (registered as `pytest11`).

    def test_sync(intercom_workspace, intercom_connector):
        intercom_workspace.faults.add(action="rate_limit", operation_id="CreateContact", times=1)
        intercom_connector.call("POST", "/contacts", json={"email": "ada@example.com"})
        assert len(intercom_workspace.journal(writes=True, injected=False)) == 1

(`intercom_connector` and `intercom_actions` come from the connector's own plugin, `connector.pytest_plugin`,
installed with this one.)

- `intercom_sandbox` (session): the fake, in-process by default; `--intercom-sandbox=server` serves it on
  a loopback port, `--intercom-sandbox-url=URL` uses one already running (secret from
  `FAKE_INTERCOM_CONTROL_SECRET`). Each pytest-xdist worker has its own session, and every test its own
  workspace, so parallel runs never collide.
- `intercom_workspace`: a fresh workspace per test, deleted afterwards; `@pytest.mark.intercom_seed("demo")`
  or `@pytest.mark.intercom_seed(records={...})` fills it (ini option `intercom_seed` sets the default).
- `intercom_sdk`: Intercom's official Python SDK bound to that workspace (skipped when not installed);
  the connector's plugin adds `intercom_connector` (connector.IntercomClient) and `intercom_actions`
  (connector.Actions), bound the same way.
- `intercom_webhook_receiver`: a local HTTP endpoint recording the notifications posted to it.
- `intercom_state_machine`: runs an `IntercomStateMachine` (or your subclass) against
  `intercom_workspace`: `intercom_state_machine(MyMachine)`, through plain REST calls unless given
  another driver (`driver=connector.testing.ConnectorDriver`).
- `--intercom-hypothesis-profile=ci|dev` (ini `intercom_hypothesis_profile`) loads hypothesis
  settings for the whole run: `ci` runs the same few examples every time (derandomized, no example
  database), `dev` explores more. Settings a test gives itself still win.

The connector's own fixtures (`intercom_scripted_model`) come from its plugin, `connector.pytest_plugin`.

Fixture names start with `intercom_` so they never shadow a suite's own fixtures. Nothing of the fake is
imported until a fixture is used.
"""

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fake_intercom.sandbox_client import Sandbox, SandboxWorkspace
    from fake_intercom.testing import WebhookReceiver

MODES = ("in-process", "server")
PROFILES = ("ci", "dev")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-intercom", "Intercom sandbox (fake-intercom)")
    group.addoption(
        "--intercom-sandbox",
        choices=MODES,
        default=None,
        help="run the fake in-process (default) or as a server on a loopback port",
    )
    group.addoption("--intercom-sandbox-url", default=None, help="use a fake already running at this URL")
    parser.addini("intercom_sandbox", "in-process or server", default="in-process")
    parser.addini("intercom_seed", "seed of intercom_workspace: none or demo", default="none")
    parser.addini(
        "intercom_rate_limit",
        "requests a minute each workspace of the plugin's own fake may make (Intercom's 10000 by default);"
        " raise it for long stateful runs, whose requests otherwise wait for the next window",
        default="",
    )
    group.addoption(
        "--intercom-hypothesis-profile",
        choices=PROFILES,
        default=None,
        help="hypothesis settings: ci (fixed, derandomized examples) or dev (more examples)",
    )
    parser.addini("intercom_hypothesis_profile", "hypothesis profile: ci, dev or empty for none", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "intercom_seed(seed='none', records=None): what intercom_workspace starts with "
        "(seed none or demo; records {collection: [bodies]})",
    )
    profile = config.getoption("--intercom-hypothesis-profile") or config.getini(
        "intercom_hypothesis_profile"
    )
    if profile:
        if profile not in PROFILES:
            raise pytest.UsageError(f"intercom_hypothesis_profile must be one of {PROFILES}, not {profile!r}")
        load_hypothesis_profile(profile)


def load_hypothesis_profile(name: str) -> None:
    """Register the kit's hypothesis profiles and load `intercom-<name>`."""
    from hypothesis import HealthCheck, settings

    # Examples against a sandbox are slower than hypothesis expects of a unit test, and share fixtures.
    relaxed = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much]
    default = settings.get_profile("default")
    settings.register_profile(
        "intercom-ci",
        parent=default,
        max_examples=10,
        stateful_step_count=15,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=relaxed,
    )
    settings.register_profile(
        "intercom-dev",
        parent=default,
        max_examples=200,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=relaxed,
    )
    settings.load_profile(f"intercom-{name}")


@pytest.fixture(scope="session")
def intercom_sandbox(pytestconfig: pytest.Config) -> Iterator["Sandbox"]:
    from fake_intercom.sandbox_client import Sandbox

    url = pytestconfig.getoption("--intercom-sandbox-url")
    mode = pytestconfig.getoption("--intercom-sandbox") or pytestconfig.getini("intercom_sandbox")
    if mode not in MODES:
        raise pytest.UsageError(f"intercom_sandbox must be one of {MODES}, not {mode!r}")
    rate_limit = pytestconfig.getini("intercom_rate_limit")
    overrides: dict[str, Any] = {"rate_limit": int(rate_limit)} if rate_limit else {}
    if url:
        sandbox = Sandbox(url, secret=os.environ.get("FAKE_INTERCOM_CONTROL_SECRET"))
    elif mode == "server":
        sandbox = Sandbox.serve(**overrides)
    else:
        sandbox = Sandbox.in_process(**overrides)
    with sandbox:
        yield sandbox


def _seed_of(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("intercom_seed")
    seed = request.config.getini("intercom_seed")
    records = None
    if marker is not None:
        seed = marker.args[0] if marker.args else marker.kwargs.get("seed", "none")
        records = marker.kwargs.get("records")
    return {"seed": seed, "records": records}


@pytest.fixture
def intercom_workspace(
    intercom_sandbox: "Sandbox", request: pytest.FixtureRequest
) -> Iterator["SandboxWorkspace"]:
    from fake_intercom.sandbox_client import SandboxError

    workspace = intercom_sandbox.create_workspace(
        name=f"pytest {request.node.name}"[:200], **_seed_of(request)
    )
    yield workspace
    with contextlib.suppress(SandboxError):  # the test may have deleted it itself
        workspace.delete()


@pytest.fixture
def intercom_sdk(intercom_workspace: "SandboxWorkspace") -> Any:
    pytest.importorskip("intercom", reason="Intercom's official SDK (python-intercom) is not installed")
    return intercom_workspace.sdk()


@pytest.fixture
def intercom_webhook_receiver() -> Iterator["WebhookReceiver"]:
    from fake_intercom.testing import WebhookReceiver

    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def intercom_state_machine(intercom_workspace: "SandboxWorkspace") -> Any:
    """`run(machine, driver=HttpDriver, settings=None)`: run a state machine against `intercom_workspace`."""
    from fake_intercom.stateful import HttpDriver, IntercomStateMachine, run_state_machine

    def run(
        machine: type[IntercomStateMachine] = IntercomStateMachine,
        driver: Any = HttpDriver,
        settings: Any = None,
    ) -> None:
        run_state_machine(machine, intercom_workspace, driver, settings)

    return run
