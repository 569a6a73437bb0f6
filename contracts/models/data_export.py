from typing import Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class DataExport(IntercomObject):
    job_identifier: str
    status: Literal["pending", "in_progress", "failed", "completed", "no_data", "canceled"]
    download_expires_at: str
    download_url: str


class CreateDataExportRequest(IntercomRequest):
    created_at_after: int = Field(description="Start of the range (Unix seconds), inclusive.")
    created_at_before: int = Field(description="End of the range (Unix seconds), inclusive.")
