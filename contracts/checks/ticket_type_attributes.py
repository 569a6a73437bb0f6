import httpx

from contracts.checks import check, parse
from contracts.checks.ticket_types import a_ticket_type
from contracts.models.ticket_type_attributes import TicketTypeAttribute
from contracts.models.ticket_types import TicketType


@check(writes=True)
def attributes_are_created_and_updated(api: httpx.Client) -> None:
    with a_ticket_type(api) as ticket_type:
        body = {"name": "Browser", "description": "Which browser", "data_type": "string"}
        created = parse(
            TicketTypeAttribute, api.post(f"/ticket_types/{ticket_type.id}/attributes", json=body)
        )
        assert created.name == "Browser" and created.default is False
        assert created.ticket_type_id == int(ticket_type.id)
        url = f"/ticket_types/{ticket_type.id}/attributes/{created.id}"
        updated = parse(TicketTypeAttribute, api.put(url, json={"description": "The browser"}))
        assert updated.description == "The browser" and updated.id == created.id
        shown = parse(TicketType, api.get(f"/ticket_types/{ticket_type.id}"))
        assert shown.ticket_type_attributes is not None
        assert created.id in [attribute.id for attribute in shown.ticket_type_attributes.data]
