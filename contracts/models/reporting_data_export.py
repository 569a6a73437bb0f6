from typing import Any, Literal

from pydantic import Field

from contracts.models.common import IntercomObject, IntercomRequest


class ExportJob(IntercomObject):
    job_identifier: str
    status: str
    download_url: str
    download_expires_at: str


class DatasetAttribute(IntercomObject):
    id: str
    name: str
    qualified_id: str | None = None


class Dataset(IntercomObject):
    id: str
    name: str
    description: str
    default_time_attribute_id: str
    attributes: list[DatasetAttribute]


class DatasetList(IntercomObject):
    type: Literal["list"]
    data: list[Dataset]


class EnqueueReportingDataExportRequest(IntercomRequest):
    # Loosely typed: the endpoint words its own validation errors (400 bad_request).
    dataset_id: Any = Field(default=None, description="The dataset to export, e.g. conversation.")
    attribute_ids: Any = Field(
        default=None, description="The attributes (columns) to export: ids or, from 2.16, qualified ids."
    )
    start_time: Any = Field(default=None, description="Start of the period (Unix seconds).")
    end_time: Any = Field(default=None, description="End of the period (Unix seconds).")
