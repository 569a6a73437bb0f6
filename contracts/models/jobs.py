"""Jobs: work Intercom does after answering (POST /tickets/enqueue), read at /jobs/status/{id}."""

from typing import Literal

from contracts.models.common import IntercomObject


class Job(IntercomObject):
    type: Literal["job"]
    id: str
    url: str | None = None
    status: Literal["pending", "success", "failed"]
    resource_type: str | None = None
    resource_id: str | None = None
    resource_url: str | None = None
