"""The webhook topics the inspector can send about an object, by the kind of object (FIDELITY §8.4-8.6).

Only topics whose notification carries the object itself (or, for `ticket.closed`, nests it under
`ticket`) are offered: the inspector sends the object's current JSON from the API.
"""

from typing import Any

TOPICS: dict[str, tuple[str, ...]] = {
    "contact": (
        "contact.user.created",
        "contact.lead.created",
        "contact.user.updated",
        "contact.lead.updated",
        "contact.lead.signed_up",
        "contact.lead.added_email",
        "contact.email.updated",
    ),
    "conversation": (
        "conversation.user.created",
        "conversation.user.replied",
        "conversation.admin.replied",
        "conversation.admin.single.created",
        "conversation.admin.assigned",
        "conversation.admin.open.assigned",
        "conversation.admin.noted",
        "conversation.admin.closed",
        "conversation.admin.opened",
        "conversation.admin.snoozed",
        "conversation.admin.unsnoozed",
        "conversation.operator.replied",
        "conversation.read",
        "conversation.priority.updated",
        "conversation.rating.added",
        "conversation.company.updated",
    ),
    "ticket": (
        "ticket.created",
        "ticket.state.updated",
        "ticket.note.created",
        "ticket.admin.assigned",
        "ticket.team.assigned",
        "ticket.attribute.updated",
        "ticket.admin.replied",
        "ticket.contact.replied",
        "ticket.resolved",
        "ticket.closed",
        "ticket.rating.provided",
    ),
}
# Where the API serves each kind of object.
COLLECTIONS = {"contact": "/contacts", "conversation": "/conversations", "ticket": "/tickets"}


def topics_for(kind: str) -> tuple[str, ...]:
    return TOPICS[kind]


def kind_of(topic: str) -> str | None:
    return next((kind for kind, topics in TOPICS.items() if topic in topics), None)


def notification_item(topic: str, item: dict[str, Any]) -> dict[str, Any]:
    """The notification's `data.item` for `topic` about the object `item` (2.15: `ticket.closed` nests it)."""
    return {"ticket": item} if topic == "ticket.closed" else item
