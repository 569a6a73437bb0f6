"""Ticket states: the four categories every state maps to, and the states list with their types."""

from typing import Literal

from contracts.models.common import IntercomObject

TicketStateCategory = Literal["submitted", "in_progress", "waiting_on_customer", "resolved"]


class TicketState(IntercomObject):
    type: Literal["ticket_state"]
    id: str
    category: TicketStateCategory
    internal_label: str
    external_label: str


class TicketTypeSummary(IntercomObject):
    """A ticket type as the states list names it: no attributes, no states."""

    type: Literal["ticket_type"]
    id: str
    name: str
    description: str | None = None
    icon: str | None = None
    is_internal: bool | None = None
    category: Literal["Customer", "Back-office", "Tracker"]


class TicketTypeSummaryList(IntercomObject):
    type: Literal["list"]
    data: list[TicketTypeSummary]


class TicketStateDetailed(TicketState):
    archived: bool | None = None
    ticket_types: TicketTypeSummaryList


class TicketStateList(IntercomObject):
    type: Literal["list"]
    data: list[TicketStateDetailed]
