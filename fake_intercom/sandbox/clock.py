"""The workspace clock: read, freeze, set, advance, unfreeze, back to real time."""

from typing import Literal

from fastapi import Request
from pydantic import BaseModel, Field

from fake_intercom import clock
from fake_intercom.errors import parameter_invalid
from fake_intercom.sandbox.access import control_router, store_of, workspace_of
from fake_intercom.store import Store, Workspace


class ClockOut(BaseModel):
    type: Literal["sandbox.clock"] = "sandbox.clock"
    now: int
    frozen: bool
    offset: int


class ClockAt(BaseModel):
    at: int | None = Field(None, ge=0, le=2**40, description="Unix seconds; default: the current time")


class ClockSet(BaseModel):
    at: int = Field(..., ge=0, le=2**40)


class ClockAdvance(BaseModel):
    seconds: int = Field(0, ge=-(2**32), le=2**32)
    minutes: int = Field(0, ge=-(2**26), le=2**26)
    hours: int = Field(0, ge=-(2**22), le=2**22)
    days: int = Field(0, ge=-(2**16), le=2**16)

    @property
    def total(self) -> int:
        return self.seconds + 60 * self.minutes + 3_600 * self.hours + 86_400 * self.days


router = control_router()


def _clock(store: Store, workspace: Workspace) -> ClockOut:
    return ClockOut(**{k: v for k, v in clock.state(store, workspace).items() if k != "type"})


@router.get("/workspaces/{workspace_id}/clock", response_model=ClockOut, summary="Read the workspace clock")
async def read_clock(workspace_id: str, request: Request) -> ClockOut:
    return _clock(store_of(request), workspace_of(request, workspace_id))


@router.post("/workspaces/{workspace_id}/clock/freeze", response_model=ClockOut, summary="Freeze the clock")
async def freeze_clock(workspace_id: str, request: Request, body: ClockAt | None = None) -> ClockOut:
    store = store_of(request)
    return _clock(store, clock.freeze(store, workspace_of(request, workspace_id), (body or ClockAt()).at))


@router.post("/workspaces/{workspace_id}/clock/set", response_model=ClockOut, summary="Set the clock")
async def set_clock(workspace_id: str, body: ClockSet, request: Request) -> ClockOut:
    store = store_of(request)
    return _clock(store, clock.set_time(store, workspace_of(request, workspace_id), body.at))


@router.post("/workspaces/{workspace_id}/clock/advance", response_model=ClockOut, summary="Advance the clock")
async def advance_clock(workspace_id: str, body: ClockAdvance, request: Request) -> ClockOut:
    store = store_of(request)
    workspace = workspace_of(request, workspace_id)
    if store.now(workspace) + body.total < 0:
        raise parameter_invalid("The clock cannot go before 1970")
    return _clock(store, clock.advance(store, workspace, body.total))


@router.post(
    "/workspaces/{workspace_id}/clock/unfreeze", response_model=ClockOut, summary="Unfreeze the clock"
)
async def unfreeze_clock(workspace_id: str, request: Request) -> ClockOut:
    store = store_of(request)
    return _clock(store, clock.unfreeze(store, workspace_of(request, workspace_id)))


@router.post("/workspaces/{workspace_id}/clock/real", response_model=ClockOut, summary="Back to real time")
async def real_clock(workspace_id: str, request: Request) -> ClockOut:
    store = store_of(request)
    return _clock(store, clock.real_time(store, workspace_of(request, workspace_id)))
