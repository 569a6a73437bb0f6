"""POST /tickets/enqueue and the job it answers with: pending, then done on its first status read."""

import httpx

from fake_intercom.context import Ctx
from fake_intercom.errors import IntercomError
from fake_intercom.resources.jobs import complete_job, create_job, job_runner
from tests.fake.test_ticket_types import new_attribute, new_type
from tests.helpers.api import domain_of, error_of, new_contact


def test_enqueue_then_read_the_job(api: httpx.Client, app, workspace) -> None:
    ticket_type = new_type(api)
    contact_id = new_contact(api)
    body = {
        "ticket_type_id": ticket_type["id"],
        "contacts": [{"id": contact_id}],
        "ticket_attributes": {"_default_title_": "Queued"},
    }
    enqueued = api.post("/tickets/enqueue", json=body)
    assert enqueued.status_code == 200, enqueued.text
    job = enqueued.json()
    assert job == {
        "type": "job",
        "id": job["id"],
        "status": "pending",
        "url": f"http://fake-intercom.test/jobs/status/{job['id']}",
        "resource_type": "ticket",
        "resource_id": None,
        "resource_url": None,
    }
    search = {"query": {"field": "title", "operator": "=", "value": "Queued"}}
    assert api.post("/tickets/search", json=search).json()["total_count"] == 0
    done = api.get(f"/jobs/status/{job['id']}").json()
    assert done["status"] == "success" and done["resource_type"] == "ticket"
    ticket = api.get(f"/tickets/{done['resource_id']}").json()
    assert done["resource_url"] == f"http://fake-intercom.test/tickets/{ticket['id']}"
    assert ticket["ticket_attributes"]["_default_title_"] == "Queued"
    assert ticket["contacts"]["contacts"][0]["id"] == contact_id
    # Reading again does not run it again.
    assert api.get(f"/jobs/status/{job['id']}").json() == done
    assert api.post("/tickets/search", json=search).json()["total_count"] == 1


def test_enqueue_validates_first_and_writes_nothing(api: httpx.Client) -> None:
    ticket_type = new_type(api)
    new_attribute(api, ticket_type["id"], name="Severity", data_type="string", required_to_create=True)
    body = {"ticket_type_id": ticket_type["id"], "contacts": [{"email": "someone@test.example"}]}
    refused = api.post("/tickets/enqueue", json=body)
    assert error_of(refused, 400) == {
        "code": "parameter_invalid",
        "message": "Missing required ticket attributes",
    }
    # The trial creation is undone: not even the lead its email would have made remains.
    search = {"query": {"field": "email", "operator": "=", "value": "someone@test.example"}}
    assert api.post("/contacts/search", json=search).json()["total_count"] == 0
    accepted = api.post("/tickets/enqueue", json={**body, "ticket_attributes": {"Severity": "High"}}).json()
    assert api.post("/contacts/search", json=search).json()["total_count"] == 0
    assert api.get(f"/jobs/status/{accepted['id']}").json()["status"] == "success"
    assert api.post("/contacts/search", json=search).json()["total_count"] == 1


def test_a_job_whose_work_fails_is_failed(api: httpx.Client) -> None:
    ticket_type = new_type(api)
    contact_id = new_contact(api)
    body = {"ticket_type_id": ticket_type["id"], "contacts": [{"id": contact_id}]}
    job = api.post("/tickets/enqueue", json=body).json()
    api.put(f"/ticket_types/{ticket_type['id']}", json={"archived": True})
    failed = api.get(f"/jobs/status/{job['id']}").json()
    assert failed["status"] == "failed" and failed["resource_id"] is None
    assert (
        api.post("/tickets/search", json={"query": {"field": "open", "operator": "=", "value": True}}).json()[
            "total_count"
        ]
        == 0
    )


def test_unknown_job(api: httpx.Client) -> None:
    assert error_of(api.get("/jobs/status/999999"), 404) == {
        "code": "job_not_found",
        "message": "Job Not Found",
    }


@job_runner("test_echo")
def _echo(ctx: Ctx, payload: dict) -> tuple[str, str]:
    if payload.get("fail"):
        raise IntercomError(400, "parameter_invalid", "no")
    return payload["id"], f"/things/{payload['id']}"


def test_the_job_api_other_resources_use(app, workspace) -> None:
    store, ws = domain_of(app, workspace)
    ctx = Ctx(store, ws, "2.15", "test", app.state.settings, "https://api.intercom.io")
    with store.atomic():
        job = create_job(ctx, "thing", "test_echo", {"id": "7"})
        failing = create_job(ctx, "thing", "test_echo", {"fail": True})
    assert job["status"] == "pending" and job["url"] == f"https://api.intercom.io/jobs/status/{job['id']}"
    assert complete_job(ctx, job["id"])["resource_url"] == "https://api.intercom.io/things/7"
    assert complete_job(ctx, failing["id"])["status"] == "failed"
    assert complete_job(ctx, "999999") is None
