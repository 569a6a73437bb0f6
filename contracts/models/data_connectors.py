"""Data connectors (HTTP actions for workflows and Fin) and their execution results (2.16)."""

from typing import Any, Literal

from pydantic import Field

from contracts.models.common import CursorPages, IntercomObject, IntercomRequest

HTTP_METHODS = ("get", "post", "put", "delete", "patch")
AUDIENCES = ("leads", "users", "visitors")
INPUT_TYPES = ("string", "integer", "decimal", "boolean")


class DataConnector(IntercomObject):
    type: Literal["data_connector"]
    id: str
    name: str
    description: str | None = None
    state: Literal["draft", "live"]
    http_method: str | None = None
    direct_fin_usage: bool
    created_by_admin_id: str | None = None
    updated_by_admin_id: str | None = None
    created_at: str
    updated_at: str
    execution_results_url: str


class DataConnectorDetail(DataConnector):
    url: str | None = None
    body: str | None = None
    headers: list[dict[str, Any]] = []
    audiences: list[str]
    execution_type: str | None = None
    configuration_response_type: str | None = None
    data_inputs: list[dict[str, Any]]
    response_fields: list[dict[str, Any]]
    object_mappings: list[dict[str, Any]]
    token_ids: list[str]


class DataConnectorList(IntercomObject):
    type: Literal["list"]
    data: list[DataConnector]
    pages: CursorPages


class ExecutionResult(IntercomObject):
    type: Literal["data_connector.execution"]
    id: str
    data_connector_id: str
    success: bool
    http_status: int | None = None
    http_method: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    execution_time_ms: int | None = None
    source_type: str | None = None
    source_id: str | None = None
    conversation_id: str | None = None
    created_at: str
    request_url: str | None = None
    request_body: str | None = None
    response_body: str | None = None
    raw_response_body: str | None = None


class ExecutionResultList(IntercomObject):
    type: Literal["list"]
    data: list[ExecutionResult]
    pages: CursorPages


class HeaderInput(IntercomRequest):
    name: str = Field(description="The header name.")
    value: str = Field(default="", description="The header value; may use template variables.")


class DataInput(IntercomRequest):
    name: str = Field(description="The parameter name.")
    type: Literal["string", "integer", "decimal", "boolean"] = Field(
        default="string", description="Its type."
    )
    description: str = Field(default="", description="A description of the parameter.")
    required: bool = Field(default=False, description="Whether the parameter is required.")
    default_value: str = Field(default="", description="The default value (empty if omitted).")


class DataConnectorFields(IntercomRequest):
    description: str | None = Field(default=None, description="What the data connector does.")
    http_method: str | None = Field(default=None, description=f"One of: {', '.join(HTTP_METHODS)}.")
    url: str | None = Field(default=None, description="The endpoint; template variables like {{order_id}}.")
    body: str | None = Field(default=None, description="The request body template.")
    direct_fin_usage: bool | None = Field(default=None, description="Whether Fin uses it directly.")
    audiences: list[str] | None = Field(default=None, description="A subset of leads, users, visitors.")
    headers: list[HeaderInput] | None = Field(default=None, description="HTTP headers of the request.")
    data_inputs: list[DataInput] | None = Field(
        default=None, description="Input parameters (replaced whole)."
    )
    customer_authentication: bool | None = Field(default=None, description="Whether OTP auth is required.")
    bypass_authentication: bool | None = Field(default=None, description="Whether auth is bypassed.")
    validate_missing_attributes: bool | None = Field(
        default=None, description="Whether required inputs must have values before executing."
    )
    mock_response: dict[str, Any] | list[Any] | None = Field(
        default=None, description="A sample response; generates response_fields."
    )
    token_ids: list[str | int] | None = Field(default=None, description="Authentication tokens to attach.")


class CreateDataConnectorRequest(DataConnectorFields):
    name: str | None = Field(default=None, description="The name of the data connector (required).")


class UpdateDataConnectorRequest(DataConnectorFields):
    name: str | None = Field(default=None, description="The name of the data connector.")
    state: str | None = Field(default=None, description="draft or live.")
