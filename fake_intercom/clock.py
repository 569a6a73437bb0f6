"""The workspace clock, as tests drive it: freeze, set, advance, unfreeze.

`Store.now(workspace)` reads `clock_frozen_at` / `clock_offset`; this module only moves them. Code that
must react when time jumps (snoozed conversations waking, jobs finishing, exports expiring) registers
with `events.on_clock_change`; callers that read time lazily through `Store.now` need nothing.
"""

import time
from typing import Any

from fake_intercom import events
from fake_intercom.store import Store, Workspace


def state(store: Store, workspace: Workspace) -> dict[str, Any]:
    return {
        "type": "sandbox.clock",
        "now": store.now(workspace),
        "frozen": workspace.clock_frozen_at is not None,
        "offset": workspace.clock_offset or 0,
    }


def freeze(store: Store, workspace: Workspace, at: int | None = None) -> Workspace:
    """Stop the clock at `at` (default: the workspace's current time)."""
    return _move(store, workspace, frozen_at=store.now(workspace) if at is None else at, offset=0)


def set_time(store: Store, workspace: Workspace, at: int) -> Workspace:
    """Jump to `at`; a frozen clock stays frozen there, a running one keeps running from there."""
    if workspace.clock_frozen_at is not None:
        return _move(store, workspace, frozen_at=at, offset=0)
    return _move(store, workspace, frozen_at=None, offset=at - int(time.time()))


def advance(store: Store, workspace: Workspace, seconds: int) -> Workspace:
    return set_time(store, workspace, store.now(workspace) + seconds)


def unfreeze(store: Store, workspace: Workspace) -> Workspace:
    """Let the clock run again from where it stands (time never goes back on unfreeze)."""
    return _move(store, workspace, frozen_at=None, offset=store.now(workspace) - int(time.time()))


def real_time(store: Store, workspace: Workspace) -> Workspace:
    """Back to the machine's clock."""
    return _move(store, workspace, frozen_at=None, offset=0)


def _move(store: Store, workspace: Workspace, *, frozen_at: int | None, offset: int) -> Workspace:
    before = store.now(workspace)
    with store.atomic():
        workspace = store.set_clock(workspace, frozen_at=frozen_at, offset=offset)
        after = store.now(workspace)
        events.clock_changed.fire(store, workspace, before, after)
    return workspace
