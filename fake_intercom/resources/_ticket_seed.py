"""The demo workspace's tickets: three types (Customer, Back-office, Tracker) with custom attributes
and states, and tickets across every state, built through the same functions as the API. Each
ticket's history is written at its own times, by running the changes on a clock frozen at them."""

from dataclasses import replace
from typing import Any

from contracts.models.tickets import ReplyTicketRequest, UpdateTicketRequest
from contracts.versions import DEFAULT_VERSION
from fake_intercom.context import Ctx
from fake_intercom.resources._ticket_store import (
    SEED_REQUEST_ID,
    create_ticket,
    find_ticket,
    insert_link,
    reply_to_ticket,
    update_ticket,
)
from fake_intercom.resources.ticket_states import create_ticket_state, link_state, states_of_type
from fake_intercom.resources.ticket_type_attributes import create_attribute
from fake_intercom.resources.ticket_types import create_ticket_type
from fake_intercom.settings import Settings

HOUR = 3_600

TYPES = (
    (
        {
            "name": "Bug report",
            "category": "Customer",
            "icon": "🐞",
            "description": "Something in the product is broken",
        },
        (
            {
                "name": "Severity",
                "data_type": "list",
                "list_items": "Low,Medium,High,Critical",
                "required_to_create": True,
            },
            {"name": "Browser", "data_type": "string"},
            {"name": "Steps to reproduce", "data_type": "string", "multiline": True},
        ),
    ),
    (
        {
            "name": "Refund request",
            "category": "Back-office",
            "icon": "💸",
            "description": "A refund Billing must approve",
        },
        (
            {"name": "Amount", "data_type": "decimal", "required_to_create": True},
            {"name": "Order id", "data_type": "string"},
            {"name": "Approved", "data_type": "boolean"},
        ),
    ),
    (
        {
            "name": "Outage",
            "category": "Tracker",
            "icon": "🚨",
            "description": "An incident many customers report",
        },
        (
            {
                "name": "Affected service",
                "data_type": "list",
                "list_items": "API,Dashboard,Messenger,Billing",
            },
            {"name": "Started at", "data_type": "datetime"},
        ),
    ),
)
BUGS = (
    ("CSV export times out", "Exporting more than 10k rows never finishes."),
    ("Login loop on Safari", "After signing in I land on the login page again."),
    ("Charts show the wrong timezone", "Daily totals are shifted by one day."),
    ("Invite emails not arriving", "Teammates never receive the invitation."),
    ("Dark mode hides buttons", "The save button is invisible in dark mode."),
    ("Webhook retries duplicate events", "We receive the same event three times."),
    ("Search ignores accents", "Searching 'Jose' does not find 'José'."),
    ("Mobile app crashes on upload", "The iOS app closes when attaching a photo."),
    ("Billing page shows old plan", "We upgraded but the page says Starter."),
    ("API returns 500 on empty filter", "GET /reports?filter= fails."),
    ("Slow dashboard", "The dashboard takes 30 seconds to load."),
    ("Broken link in onboarding email", "The 'Get started' link is a 404."),
)
REFUNDS = (
    ("Double charge in March", 49.0),
    ("Cancelled within trial", 199.0),
    ("Annual plan downgrade", 990.0),
)
OUTAGES = (
    ("API latency spike", "API"),
    ("Messenger not loading", "Messenger"),
    ("Invoices not generated", "Billing"),
)
BROWSERS = ("Chrome 131", "Safari 18", "Firefox 133", "Edge 131")
REPLIES = (
    "Thanks for the report! We're looking into it.",
    "Could you share a screenshot of what you see?",
    "Our engineers reproduced it; a fix is on the way.",
)
CONTACT_REPLIES = ("Sure, here it is.", "Any update on this?", "Thanks, that works now!")


def seed_tickets(seeder: Any) -> None:
    store, workspace, rng = seeder.store, seeder.workspace, seeder.rng
    types = []
    for fields, type_attributes in TYPES:
        ticket_type = create_ticket_type(store, workspace, fields)
        for attribute in type_attributes:
            create_attribute(store, workspace, ticket_type["id"], {"description": "", **attribute})
        types.append(ticket_type)
    bug, refund, outage = types
    for internal, external in (("Investigating", "We're on it"), ("Monitoring", "Fix deployed")):
        state = create_ticket_state(store, workspace, "in_progress", internal, external)
        link_state(store, workspace.id, outage["id"], state["id"])
    states = {t["id"]: states_of_type(store, workspace.id, t["id"]) for t in types}

    # Read once: reading the environment for every step of every ticket's history was most of the seed.
    settings = Settings()

    def at(timestamp: int) -> Ctx:
        frozen = replace(workspace, clock_frozen_at=timestamp)
        return Ctx(store, frozen, DEFAULT_VERSION, SEED_REQUEST_ID, settings, "https://api.intercom.io")

    def later(when: int, seconds: int) -> int:
        return min(when + seconds, seeder.now)

    def run_history(ticket: dict[str, Any], ticket_type: dict[str, Any], customer: bool) -> None:
        """Move the ticket through a random path of its type's states, with replies and notes."""
        when = ticket["created_at"]
        path = rng.choice(
            ([], ["in_progress"], ["in_progress", "waiting_on_customer"], ["in_progress", "resolved"])
        )
        admin_id = rng.choice(seeder.admin_ids)
        if path or rng.random() < 0.5:
            when = later(when, rng.randint(1, 6) * HOUR)
            ticket = update_ticket(
                at(when), ticket, UpdateTicketRequest(admin_id=admin_id, assignee_id=admin_id)
            )
        for category in path:
            when = later(when, rng.randint(1, 24) * HOUR)
            state = rng.choice([s for s in states[ticket_type["id"]] if s["category"] == category])
            ticket = update_ticket(
                at(when), ticket, UpdateTicketRequest(admin_id=admin_id, ticket_state_id=state["id"])
            )
            if category != "resolved":
                when = later(when, HOUR)
                reply = ReplyTicketRequest(
                    type="admin",
                    admin_id=admin_id,
                    message_type="comment" if customer else "note",
                    body=rng.choice(REPLIES),
                )
                reply_to_ticket(at(when), ticket, reply)
            if customer and category == "waiting_on_customer":
                when = later(when, 2 * HOUR)
                contact_id = ticket_contacts[ticket["id"]]
                reply = ReplyTicketRequest(
                    type="user",
                    message_type="comment",
                    intercom_user_id=contact_id,
                    body=rng.choice(CONTACT_REPLIES),
                )
                reply_to_ticket(at(when), find_ticket(store, workspace.id, ticket["id"]) or ticket, reply)

    ticket_contacts: dict[str, str] = {}

    def new_ticket(ticket_type: dict[str, Any], attributes: dict[str, Any]) -> dict[str, Any]:
        contact = rng.choice(seeder.users)
        created_at = seeder.ago(60)
        ticket = create_ticket(
            at(created_at), ticket_type, [contact["id"]], attributes, created_at=created_at
        )
        ticket_contacts[ticket["id"]] = contact["id"]
        return ticket

    customer_tickets = []
    for title, description in BUGS:
        attributes = {
            "_default_title_": title,
            "_default_description_": description,
            "Severity": rng.choice(["Low", "Medium", "High", "Critical"]),
            "Browser": rng.choice(BROWSERS),
        }
        ticket = new_ticket(bug, attributes)
        customer_tickets.append(ticket)
        run_history(ticket, bug, customer=True)
    for title, amount in REFUNDS:
        attributes = {
            "_default_title_": title,
            "Amount": amount,
            "Order id": f"ord_{rng.randint(10_000, 99_999)}",
        }
        run_history(new_ticket(refund, attributes), refund, customer=False)
    for title, service in OUTAGES:
        started = seeder.ago(30)
        ticket = new_ticket(
            outage, {"_default_title_": title, "Affected service": service, "Started at": started}
        )
        run_history(ticket, outage, customer=False)
        for linked in rng.sample(customer_tickets, 2):
            if not store.scalar(
                "SELECT 1 FROM ticket_links WHERE workspace_id = ? AND linked_type = 'ticket' AND linked_id = ?",
                (workspace.id, linked["id"]),
            ):
                insert_link(store, workspace.id, ticket["id"], "ticket", linked["id"])
