"""An Intercom connector for agents: Scalekit's `actions` surface, a typed httpx client, and a tool catalog.

Point it at Intercom (`region="eu"`...) or at the fake (`base_url="http://127.0.0.1:8000"`); nothing else changes.
"""

from connector.accounts import (
    AccountStatus,
    AccountStore,
    ConnectedAccount,
    ConnectedAccountResponse,
    ListConnectedAccountsResponse,
    MagicLinkResponse,
    MemoryAccountStore,
    SQLiteAccountStore,
)
from connector.actions import Actions, AsyncActions, ExecuteToolResponse, ListToolsResponse, Tool
from connector.catalog import CATALOG, Catalog
from connector.client import AsyncIntercomClient, IntercomClient
from connector.errors import (
    AuthorizationRequiredError,
    BadRequestError,
    ConflictError,
    ConnectedAccountExistsError,
    ConnectedAccountNotFoundError,
    ConnectorError,
    ConnectorTimeoutError,
    ForbiddenError,
    IntercomAPIError,
    NotFoundError,
    OAuthError,
    OAuthStateError,
    RateLimitError,
    ServerError,
    ToolInputError,
    ToolNotAllowedError,
    ToolNotFoundError,
    TransportError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from connector.oauth import OAuthApp

__all__ = [
    "CATALOG",
    "AccountStatus",
    "AccountStore",
    "Actions",
    "AsyncActions",
    "AsyncIntercomClient",
    "AuthorizationRequiredError",
    "BadRequestError",
    "Catalog",
    "ConflictError",
    "ConnectedAccount",
    "ConnectedAccountExistsError",
    "ConnectedAccountNotFoundError",
    "ConnectedAccountResponse",
    "ConnectorError",
    "ConnectorTimeoutError",
    "ExecuteToolResponse",
    "ForbiddenError",
    "IntercomAPIError",
    "IntercomClient",
    "ListConnectedAccountsResponse",
    "ListToolsResponse",
    "MagicLinkResponse",
    "MemoryAccountStore",
    "NotFoundError",
    "OAuthApp",
    "OAuthError",
    "OAuthStateError",
    "RateLimitError",
    "SQLiteAccountStore",
    "ServerError",
    "Tool",
    "ToolInputError",
    "ToolNotAllowedError",
    "ToolNotFoundError",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableEntityError",
]
