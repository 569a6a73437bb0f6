"""An Intercom connector for agents: Scalekit's `actions` surface, a typed httpx client, and a tool catalog.

Point it at Intercom (`region="eu"`...) or at the fake (`base_url="http://127.0.0.1:8000"`); nothing else changes.
"""

from connector.actions import Actions, AsyncActions, ExecuteToolResponse, ListToolsResponse, Tool
from connector.catalog import CATALOG, Catalog
from connector.client import AsyncIntercomClient, IntercomClient
from connector.errors import (
    BadRequestError,
    ConflictError,
    ConnectorError,
    ConnectorTimeoutError,
    ForbiddenError,
    IntercomAPIError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ToolInputError,
    ToolNotFoundError,
    TransportError,
    UnauthorizedError,
    UnprocessableEntityError,
)

__all__ = [
    "CATALOG",
    "Actions",
    "AsyncActions",
    "AsyncIntercomClient",
    "BadRequestError",
    "Catalog",
    "ConflictError",
    "ConnectorError",
    "ConnectorTimeoutError",
    "ExecuteToolResponse",
    "ForbiddenError",
    "IntercomAPIError",
    "IntercomClient",
    "ListToolsResponse",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "Tool",
    "ToolInputError",
    "ToolNotFoundError",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableEntityError",
]
