from typing import Any, Literal

from contracts.models.common import IntercomObject


class Workflow(IntercomObject):
    id: str
    title: str
    description: str | None = None
    trigger_type: str
    state: Literal["live", "draft", "paused"]
    target_channels: list[str]
    preferred_devices: list[str]
    created_at: str
    updated_at: str
    targeting: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    attributes: list[Any]
    embedded_rules: list[Any]


class WorkflowExport(IntercomObject):
    export_version: str
    exported_at: str
    app_id: int
    workflow: Workflow
