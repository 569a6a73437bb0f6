"""Fault rules of a workspace."""

from typing import Literal

from fastapi import Request, Response
from pydantic import BaseModel

from fake_intercom.errors import not_found
from fake_intercom.faults import Faults, FaultSpec
from fake_intercom.sandbox.access import control_router, workspace_of


class FaultOut(FaultSpec):
    type: Literal["sandbox.fault"] = "sandbox.fault"
    id: str
    fired: int


class FaultList(BaseModel):
    type: Literal["list"] = "list"
    data: list[FaultOut]


router = control_router()


def faults_of(request: Request) -> Faults:
    return request.app.state.faults


@router.get("/workspaces/{workspace_id}/faults", response_model=FaultList, summary="List fault rules")
async def list_faults(workspace_id: str, request: Request) -> FaultList:
    workspace = workspace_of(request, workspace_id)
    return FaultList(data=[FaultOut(**fault.as_dict()) for fault in faults_of(request).list(workspace.id)])


@router.post(
    "/workspaces/{workspace_id}/faults", response_model=FaultOut, status_code=201, summary="Add a fault rule"
)
async def add_fault(workspace_id: str, body: FaultSpec, request: Request) -> FaultOut:
    workspace = workspace_of(request, workspace_id)
    return FaultOut(**faults_of(request).add(workspace.id, body).as_dict())


@router.delete("/workspaces/{workspace_id}/faults", status_code=204, summary="Remove every fault rule")
async def clear_faults(workspace_id: str, request: Request) -> Response:
    faults_of(request).clear(workspace_of(request, workspace_id).id)
    return Response(status_code=204)


@router.delete("/workspaces/{workspace_id}/faults/{fault_id}", status_code=204, summary="Remove a fault rule")
async def remove_fault(workspace_id: str, fault_id: str, request: Request) -> Response:
    if not faults_of(request).remove(workspace_of(request, workspace_id).id, fault_id):
        raise not_found("Fault Not Found")
    return Response(status_code=204)
