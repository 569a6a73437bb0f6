"""Plans: a workspace without an active subscription is refused what Intercom refuses it (FIDELITY §1.4),
set from the control plane or `serve --plan`."""

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport
from tests.helpers.api import error_of, new_contact

BASE = "http://fake-intercom.test"


@pytest.fixture
def control(asgi_transport) -> httpx.Client:
    with httpx.Client(base_url=BASE, transport=asgi_transport) as client:
        yield client


def test_an_inactive_workspace_is_refused_plan_restricted_operations(control: httpx.Client) -> None:
    created = control.post("/_sandbox/workspaces", json={"plan": "inactive"})
    assert created.status_code == 201 and created.json()["plan"] == "inactive"
    workspace = created.json()
    headers = {"Authorization": f"Bearer {workspace['token']}"}
    with httpx.Client(base_url=BASE, transport=control._transport, headers=headers) as api:
        contact_id = new_contact(api)
        for response in (
            api.get("/conversations"),
            api.post("/conversations", json={"from": {"type": "user", "id": contact_id}, "body": "Hi"}),
            api.get("/conversations/1"),
            api.delete("/tickets/1"),
            api.post("/messages", json={"message_type": "inapp", "body": "Hi"}),
        ):
            assert error_of(response, 403) == {
                "code": "api_plan_restricted",
                "message": "Active subscription needed.",
            }
        assert error_of(api.get("/export/workflows/1"), 403)["message"] == (
            "Workflow export is not available for this app"
        )
        assert api.get("/contacts").status_code == 200, "what the plan does not restrict answers"
        back = control.put(f"/_sandbox/workspaces/{workspace['id']}/plan", json={"plan": "active"})
        assert back.json()["plan"] == "active"
        assert api.get("/conversations").status_code == 200


def test_the_sandbox_client_sets_a_plan(asgi_transport) -> None:
    from fake_intercom.sandbox_client import Sandbox

    with Sandbox(BASE, transport=asgi_transport) as sandbox:
        workspace = sandbox.create_workspace(plan="inactive")
        with workspace.client() as api:
            assert api.get("/conversations").status_code == 403
            workspace.set_plan("active")
            assert api.get("/conversations").status_code == 200


def test_an_unknown_plan_is_refused(control: httpx.Client) -> None:
    assert control.post("/_sandbox/workspaces", json={"plan": "gold"}).status_code == 400


def test_serve_puts_the_default_workspace_on_its_plan() -> None:
    app = create_app(Settings(token="plan-token", plan="inactive"))
    with httpx.Client(
        base_url=BASE, transport=SyncASGITransport(app), headers={"Authorization": "Bearer plan-token"}
    ) as api:
        assert error_of(api.get("/conversations"), 403)["code"] == "api_plan_restricted"
        assert api.get("/me").status_code == 200
