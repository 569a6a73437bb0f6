import httpx

from contracts.checks import check, expect_error, parse
from contracts.checks.companies import a_contact
from contracts.checks.ticket_types import a_ticket_type
from contracts.models.jobs import Job
from contracts.models.tickets import Ticket


@check(writes=True)
def enqueued_tickets_are_made_by_a_job(api: httpx.Client) -> None:
    with a_ticket_type(api) as ticket_type, a_contact(api) as contact_id:
        request = {"ticket_type_id": ticket_type.id, "contacts": [{"id": contact_id}]}
        job = parse(Job, api.post("/tickets/enqueue", json=request))
        assert job.status == "pending" and job.resource_type == "ticket"
        for _ in range(20):
            status = parse(Job, api.get(f"/jobs/status/{job.id}"))
            if status.status != "pending":
                break
        assert status.status == "success" and status.resource_id is not None
        ticket = parse(Ticket, api.get(f"/tickets/{status.resource_id}"))
        assert ticket.contacts.contacts[0].id == contact_id
        api.delete(f"/tickets/{ticket.id}")


@check()
def unknown_job(api: httpx.Client) -> None:
    expect_error(api.get("/jobs/status/999999999"), 404, "job_not_found")
