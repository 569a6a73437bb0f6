import httpx

from contracts.checks import check, parse
from contracts.models.ticket_states import TicketStateList


@check()
def ticket_states_are_listed_with_their_categories(api: httpx.Client) -> None:
    states = parse(TicketStateList, api.get("/ticket_states"))
    assert {"submitted", "in_progress", "waiting_on_customer", "resolved"} <= {
        s.category for s in states.data
    }
