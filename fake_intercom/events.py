"""Domain events: how one resource follows another's change without importing it.

The resource that owns a change fires its event; the resources that must follow it register a
listener when they are imported (every resource is, when the app is assembled). Deleting a contact
closes its conversations, deleting a tag untags everything, merging moves everything: the contact and
tag resources know nothing of conversations. Listeners run in the transaction of the change that
fires them, in the order they registered.
"""

from collections.abc import Callable
from typing import Generic, ParamSpec

from fake_intercom.context import Ctx
from fake_intercom.store import Store, Workspace

Params = ParamSpec("Params")


class Event(Generic[Params]):
    """One kind of change and the listeners that follow it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[Params, None]] = []

    def register(self, listener: Callable[Params, None]) -> Callable[Params, None]:
        """Call `listener` whenever the event fires; usable as a decorator."""
        self._listeners.append(listener)
        return listener

    def unregister(self, listener: Callable[Params, None]) -> None:
        self._listeners.remove(listener)

    def fire(self, *args: Params.args, **kwargs: Params.kwargs) -> None:
        for listener in self._listeners:
            listener(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._listeners)} listeners)"


# (store, workspace, before, after): the workspace clock moved (see clock.py).
clock_changed: Event[[Store, Workspace, int, int]] = Event("clock_changed")
# (ctx, contact_id): a contact is about to be deleted.
contact_deleted: Event[[Ctx, str]] = Event("contact_deleted")
# (ctx, contact_id): a contact was blocked.
contact_blocked: Event[[Ctx, str]] = Event("contact_blocked")
# (store, workspace_id, from_id, into_id): a lead was merged into a user.
contact_merged: Event[[Store, str, str, str]] = Event("contact_merged")
# (store, workspace_id, tag_id): a tag was deleted.
tag_deleted: Event[[Store, str, str]] = Event("tag_deleted")

on_clock_change = clock_changed.register
on_contact_deleted = contact_deleted.register
on_contact_blocked = contact_blocked.register
on_contact_merged = contact_merged.register
on_tag_deleted = tag_deleted.register
