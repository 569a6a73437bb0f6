import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.ticket_types import TicketType, TicketTypeList


@contextmanager
def a_ticket_type(api: httpx.Client, **fields: object) -> Iterator[TicketType]:
    """A throwaway ticket type; Intercom cannot delete types, so it is archived afterwards."""
    body = {"name": f"contract-{uuid.uuid4().hex[:12]}", "description": "Contract check", **fields}
    ticket_type = parse(TicketType, api.post("/ticket_types", json=body))
    try:
        yield ticket_type
    finally:
        api.put(f"/ticket_types/{ticket_type.id}", json={"archived": True})


@check(writes=True)
def ticket_types_are_created_read_listed_and_updated(api: httpx.Client) -> None:
    with a_ticket_type(api, category="Back-office") as ticket_type:
        assert ticket_type.category == "Back-office"
        assert ticket_type.ticket_type_attributes is not None
        names = [attribute.name for attribute in ticket_type.ticket_type_attributes.data]
        assert {"_default_title_", "_default_description_"} <= set(names)
        assert ticket_type.ticket_states is not None and ticket_type.ticket_states.data
        assert parse(TicketType, api.get(f"/ticket_types/{ticket_type.id}")).name == ticket_type.name
        listed = parse(TicketTypeList, api.get("/ticket_types"))
        assert ticket_type.id in [each.id for each in listed.data]
        updated = parse(
            TicketType, api.put(f"/ticket_types/{ticket_type.id}", json={"description": "Renamed"})
        )
        assert updated.description == "Renamed" and updated.name == ticket_type.name


@check()
def unknown_ticket_type(api: httpx.Client) -> None:
    expect_error(api.get("/ticket_types/999999999"), 404)
