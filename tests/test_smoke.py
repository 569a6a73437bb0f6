"""An installation's smoke test: the packages import, the app answers a few requests, and the sandbox
client, the connector, Intercom's own SDK and schemathesis reach it. `make lowest` runs it (with the
routing, plugin and architecture tests) over the lowest versions pyproject allows."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from typer.testing import CliRunner

from connector import mcp_server
from connector.pytest_plugin import client_for
from fake_intercom import Sandbox, Settings, cli, create_app

TOKEN = "smoke-token"
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(token=TOKEN)))


def test_a_workspace_serves_the_api_the_connector_and_the_sdk() -> None:
    with Sandbox.in_process() as sandbox:
        workspace = sandbox.create_workspace()
        with workspace.client() as api:
            assert api.get("/me").json()["type"] == "admin"
            created = api.post("/contacts", json={"email": "smoke@example.com"}).json()
            assert api.get(f"/contacts/{created['id']}").json()["email"] == "smoke@example.com"
            query = {"query": {"field": "email", "operator": "=", "value": "smoke@example.com"}}
            assert api.post("/contacts/search", json=query).json()["total_count"] == 1
            assert api.get("/contacts/nobody").json()["errors"][0]["code"] == "not_found"
        with client_for(workspace) as connector:
            assert connector.call("GET", f"/contacts/{created['id']}")["id"] == created["id"]
        assert workspace.sdk().contacts.find(contact_id=created["id"]).email == "smoke@example.com"
        assert [entry["status"] for entry in workspace.journal(writes=True)] == [200, 200]


def test_the_command_lines_build_their_options() -> None:
    for command, arguments in ((cli.app, ["serve", "--help"]), (mcp_server.cli, ["--help"])):
        result = CliRunner().invoke(command, arguments)
        assert result.exit_code == 0, result.output


@schema.include(operation_id="ShowContact").parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_drives_the_app(case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])
