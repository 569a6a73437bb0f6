"""Ticket types: what a ticket captures (its attributes) and the states it moves through."""

from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest
from contracts.models.ticket_states import TicketState
from contracts.models.ticket_type_attributes import TicketTypeAttributeList

TicketCategory = Literal["Customer", "Back-office", "Tracker"]


class TicketStates(IntercomObject):
    type: Literal["list"]
    data: list[TicketState]


class TicketType(IntercomObject):
    type: Literal["ticket_type"]
    id: str
    category: TicketCategory
    name: str
    description: str | None = None
    icon: str | None = None
    workspace_id: str
    archived: bool
    is_internal: bool
    # Intercom leaves the attributes out (null) in some embeddings (python-intercom#396-like reports).
    ticket_type_attributes: TicketTypeAttributeList | None = None
    ticket_states: TicketStates | None = None
    created_at: int
    updated_at: int


class TicketTypeList(IntercomObject):
    type: Literal["list"]
    data: list[TicketType]


class CreateTicketTypeRequest(IntercomRequest):
    name: str = Field(description="The name of the ticket type.")
    description: str | None = Field(default=None, description="The description of the ticket type.")
    category: str | None = Field(default=None, description="Customer (the default), Back-office or Tracker.")
    icon: str | None = Field(default=None, description="An emoji; 🎟️ unless set.")
    is_internal: bool | None = Field(
        default=None, description="Tickets of this type are for internal use only."
    )


class UpdateTicketTypeRequest(IntercomRequest):
    name: str | None = Field(default=None, description="The name of the ticket type.")
    description: str | None = Field(default=None, description="The description of the ticket type.")
    category: str | None = Field(default=None, description="Customer, Back-office or Tracker.")
    icon: str | None = Field(default=None, description="An emoji.")
    archived: bool | None = Field(default=None, description="Archive (or restore) the ticket type.")
    is_internal: bool | None = Field(
        default=None, description="Tickets of this type are for internal use only."
    )
