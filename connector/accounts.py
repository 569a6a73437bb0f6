"""Connected accounts: one end user (`identifier`) on one connection, with its Intercom token and status.

Names, fields and statuses are Scalekit's (CONNECTOR.md §1, §5). What Scalekit keeps server-side lives
here in an `AccountStore`: SQLite by default (one file, survives restarts), in memory for tests. Intercom
tokens never expire, so `EXPIRED` means "Intercom answered 401 with this token" (revoked, uninstalled).
"""

import os
import secrets
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from connector.errors import (
    AuthorizationRequiredError,
    ConnectedAccountExistsError,
    ConnectedAccountNotFoundError,
    OAuthError,
    OAuthStateError,
)
from connector.oauth import OAuthApp

PROVIDER = "INTERCOM"
DEFAULT_CONNECTION_NAME = "intercom"
STATE_LIFETIME_SECONDS = 600


class ScalekitModel(BaseModel):
    """Scalekit's response objects are pydantic models with `to_dict()`."""

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class AccountStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    PENDING_AUTH = "PENDING_AUTH"
    PENDING_VERIFICATION = "PENDING_VERIFICATION"
    DISCONNECTED = "DISCONNECTED"


def _now() -> datetime:
    return datetime.now(UTC)


class ConnectedAccount(ScalekitModel):
    id: str
    identifier: str
    provider: str = PROVIDER
    status: AccountStatus
    authorization_type: str = "OAUTH"
    authorization_details: dict[str, Any] = Field(default_factory=dict)
    token_expires_at: datetime | None = None
    updated_at: datetime = Field(default_factory=_now)
    connector: str = DEFAULT_CONNECTION_NAME
    last_used_at: datetime | None = None
    api_config: dict[str, Any] = Field(default_factory=dict)

    @property
    def connection_name(self) -> str:
        return self.connector

    @property
    def access_token(self) -> str | None:
        for kind in ("oauth_token", "static_auth"):
            details = self.authorization_details.get(kind)
            if isinstance(details, dict) and details.get("access_token"):
                return str(details["access_token"])
        return None

    def without_credentials(self) -> "ConnectedAccount":
        redacted = {
            kind: {
                key: value for key, value in details.items() if key not in ("access_token", "refresh_token")
            }
            for kind, details in self.authorization_details.items()
            if isinstance(details, dict)
        }
        return self.model_copy(update={"authorization_details": redacted})

    def for_list(self) -> "ConnectedAccountForList":
        return ConnectedAccountForList(
            **self.model_dump(exclude={"id", "authorization_details", "api_config"})
        )


class ConnectedAccountForList(ScalekitModel):
    identifier: str
    provider: str = PROVIDER
    status: AccountStatus
    authorization_type: str
    token_expires_at: datetime | None = None
    updated_at: datetime
    connector: str
    last_used_at: datetime | None = None


class ConnectedAccountResponse(ScalekitModel):
    connected_account: ConnectedAccount


class ListConnectedAccountsResponse(ScalekitModel):
    connected_accounts: list[ConnectedAccountForList]
    total_count: int
    next_page_token: str | None = None
    previous_page_token: str | None = None


class DeleteConnectedAccountResponse(ScalekitModel):
    pass


class MagicLinkResponse(ScalekitModel):
    link: str
    expiry: datetime


@dataclass(frozen=True)
class PendingAuthorization:
    """An authorization link handed out and not yet completed; its `state` is good once, until `expires_at`."""

    state: str
    account_id: str
    expires_at: float


class AccountStore(ABC):
    """Where connected accounts and pending authorizations live."""

    @abstractmethod
    def get(self, account_id: str) -> ConnectedAccount | None: ...

    @abstractmethod
    def find(self, connection_name: str, identifier: str) -> ConnectedAccount | None: ...

    @abstractmethod
    def save(self, account: ConnectedAccount) -> None: ...

    @abstractmethod
    def delete(self, account_id: str) -> None: ...

    @abstractmethod
    def all(self) -> list[ConnectedAccount]:
        """Every account, oldest first."""

    @abstractmethod
    def add_pending(self, pending: PendingAuthorization) -> None: ...

    @abstractmethod
    def take_pending(self, state: str) -> PendingAuthorization | None:
        """Remove and return the pending authorization of `state`: a state can be completed only once."""


class MemoryAccountStore(AccountStore):
    """Accounts in a dict: for tests and short-lived processes."""

    def __init__(self) -> None:
        self._accounts: dict[str, ConnectedAccount] = {}
        self._pending: dict[str, PendingAuthorization] = {}
        self._lock = threading.Lock()

    def get(self, account_id: str) -> ConnectedAccount | None:
        return self._accounts.get(account_id)

    def find(self, connection_name: str, identifier: str) -> ConnectedAccount | None:
        return next(
            (
                account
                for account in self._accounts.values()
                if account.connector == connection_name and account.identifier == identifier
            ),
            None,
        )

    def save(self, account: ConnectedAccount) -> None:
        with self._lock:
            self._accounts[account.id] = account

    def delete(self, account_id: str) -> None:
        with self._lock:
            self._accounts.pop(account_id, None)

    def all(self) -> list[ConnectedAccount]:
        return list(self._accounts.values())

    def add_pending(self, pending: PendingAuthorization) -> None:
        with self._lock:
            self._pending[pending.state] = pending

    def take_pending(self, state: str) -> PendingAuthorization | None:
        with self._lock:
            return self._pending.pop(state, None)


def default_store_path() -> Path:
    """`INTERCOM_CONNECTOR_ACCOUNTS_DB`, else `~/.intercom-connector/accounts.db`."""
    configured = os.environ.get("INTERCOM_CONNECTOR_ACCOUNTS_DB")
    return Path(configured) if configured else Path.home() / ".intercom-connector" / "accounts.db"


class SQLiteAccountStore(AccountStore):
    """Accounts in one SQLite file, safe to share between threads and processes."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Access tokens are secrets: the file is readable by its owner only.
            self.path.touch(mode=0o600, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS connected_accounts (id TEXT PRIMARY KEY, connector TEXT NOT NULL,"
                " identifier TEXT NOT NULL, created REAL NOT NULL, data TEXT NOT NULL,"
                " UNIQUE (connector, identifier))"
            )
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS pending_authorizations (state TEXT PRIMARY KEY,"
                " account_id TEXT NOT NULL, expires_at REAL NOT NULL)"
            )

    def _one(self, sql: str, params: tuple[Any, ...]) -> ConnectedAccount | None:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return ConnectedAccount.model_validate_json(row[0]) if row else None

    def get(self, account_id: str) -> ConnectedAccount | None:
        return self._one("SELECT data FROM connected_accounts WHERE id = ?", (account_id,))

    def find(self, connection_name: str, identifier: str) -> ConnectedAccount | None:
        return self._one(
            "SELECT data FROM connected_accounts WHERE connector = ? AND identifier = ?",
            (connection_name, identifier),
        )

    def save(self, account: ConnectedAccount) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO connected_accounts (id, connector, identifier, created, data) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                (account.id, account.connector, account.identifier, time.time(), account.model_dump_json()),
            )

    def delete(self, account_id: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM connected_accounts WHERE id = ?", (account_id,))
            self._conn.execute("DELETE FROM pending_authorizations WHERE account_id = ?", (account_id,))

    def all(self) -> list[ConnectedAccount]:
        with self._lock:
            rows = self._conn.execute("SELECT data FROM connected_accounts ORDER BY created, id").fetchall()
        return [ConnectedAccount.model_validate_json(row[0]) for row in rows]

    def add_pending(self, pending: PendingAuthorization) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO pending_authorizations (state, account_id, expires_at) VALUES (?, ?, ?)",
                (pending.state, pending.account_id, pending.expires_at),
            )

    def take_pending(self, state: str) -> PendingAuthorization | None:
        with self._lock:
            # DELETE ... RETURNING is atomic, so two processes cannot both complete one state.
            row = self._conn.execute(
                "DELETE FROM pending_authorizations WHERE state = ? RETURNING state, account_id, expires_at",
                (state,),
            ).fetchone()
        return PendingAuthorization(*row) if row else None

    def close(self) -> None:
        self._conn.close()


def _new_account_id() -> str:
    return f"ca_{secrets.token_hex(12)}"


def _authorization_type(details: dict[str, Any]) -> str:
    return "BEARER_TOKEN" if "static_auth" in details and "oauth_token" not in details else "OAUTH"


class ConnectedAccounts:
    """Everything about accounts that needs no network: links, states, lookups, status changes.

    `Actions` and `AsyncActions` share one of these and add the HTTP (the code exchange, tool calls).
    """

    def __init__(
        self,
        store: AccountStore | None,
        oauth: OAuthApp | None,
        base_url: str,
        default_connection_name: str = DEFAULT_CONNECTION_NAME,
        state_lifetime: float = STATE_LIFETIME_SECONDS,
    ) -> None:
        self._store = store
        self.oauth = oauth
        self.base_url = base_url
        self.default_connection_name = default_connection_name
        self.state_lifetime = state_lifetime

    @property
    def store(self) -> AccountStore:
        # Created on first use, so a token-only `Actions` never touches the disk.
        if self._store is None:
            self._store = SQLiteAccountStore()
        return self._store

    @property
    def configured(self) -> bool:
        """Whether identifiers should be resolved to accounts at all (an OAuth app or a store was given)."""
        return self.oauth is not None or self._store is not None

    def _connection(self, connection_name: str | None) -> str:
        return connection_name or self.default_connection_name

    def lookup(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccount | None:
        if connected_account_id:
            return self.store.get(connected_account_id)
        if not identifier:
            raise ValueError("pass connected_account_id, or identifier (and optionally connection_name)")
        return self.store.find(self._connection(connection_name), identifier)

    def require(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccount:
        account = self.lookup(connection_name, identifier, connected_account_id)
        if account is None:
            what = connected_account_id or f"{identifier!r} on {self._connection(connection_name)!r}"
            raise ConnectedAccountNotFoundError(f"No connected account {what}")
        return account

    # -- authorization -------------------------------------------------------------------------

    def _oauth(self) -> OAuthApp:
        if self.oauth is None:
            raise OAuthError(
                "no OAuth app is configured: pass oauth=OAuthApp(client_id, client_secret, redirect_uri)"
            )
        return self.oauth

    def authorization_link(
        self,
        identifier: str | None = None,
        connection_name: str | None = None,
        connected_account_id: str | None = None,
        state: str | None = None,
    ) -> MagicLinkResponse:
        """A link to Intercom's authorization page whose `state` is good once, for `state_lifetime` seconds.

        The account is created PENDING_AUTH if it does not exist; an existing one keeps its status (and
        token) until the authorization completes.
        """
        oauth = self._oauth()
        account = self.lookup(connection_name, identifier, connected_account_id)
        if account is None:
            if connected_account_id:
                raise ConnectedAccountNotFoundError(f"No connected account {connected_account_id}")
            assert identifier is not None  # lookup() refused the call otherwise
            account = ConnectedAccount(
                id=_new_account_id(),
                identifier=identifier,
                status=AccountStatus.PENDING_AUTH,
                connector=self._connection(connection_name),
            )
            self.store.save(account)
        # A caller's own state is used as is (it is what comes back to their redirect URL).
        state = state or secrets.token_urlsafe(32)
        expires_at = time.time() + self.state_lifetime
        self.store.add_pending(PendingAuthorization(state, account.id, expires_at))
        return MagicLinkResponse(
            link=oauth.authorization_url(self.base_url, state),
            expiry=datetime.fromtimestamp(expires_at, UTC),
        )

    def begin_completion(self, code: str, state: str) -> tuple[ConnectedAccount, dict[str, Any]]:
        """Check (and use up) `state`; return its account and the token request to send."""
        oauth = self._oauth()
        if not code:
            raise ValueError("code is required")
        pending = self.store.take_pending(state) if state else None
        if pending is None:
            raise OAuthStateError("unknown or already used state: start again with get_authorization_link")
        if pending.expires_at < time.time():
            raise OAuthStateError("the authorization link expired: start again with get_authorization_link")
        account = self.store.get(pending.account_id)
        if account is None:
            raise OAuthStateError("the connected account of this state was deleted")
        return account, oauth.token_request(self.base_url, code)

    def finish_completion(self, account: ConnectedAccount, access_token: str) -> ConnectedAccountResponse:
        account = account.model_copy(
            update={
                "status": AccountStatus.ACTIVE,
                "authorization_type": "OAUTH",
                "authorization_details": {"oauth_token": {"access_token": access_token, "scopes": []}},
                "updated_at": _now(),
            }
        )
        self.store.save(account)
        return ConnectedAccountResponse(connected_account=account)

    # -- tokens for calls ----------------------------------------------------------------------

    def token_for(
        self,
        connection_name: str | None,
        identifier: str | None,
        connected_account_id: str | None,
    ) -> tuple[ConnectedAccount, str]:
        """The ACTIVE account and its token, or `AuthorizationRequiredError` with a fresh link."""
        account = self.lookup(connection_name, identifier, connected_account_id)
        token = account.access_token if account is not None else None
        if account is None or account.status != AccountStatus.ACTIVE or token is None:
            link = None
            if self.oauth is not None and (identifier or account is not None):
                link = self.authorization_link(
                    identifier=account.identifier if account else identifier,
                    connection_name=account.connector if account else connection_name,
                ).link
            raise AuthorizationRequiredError(
                account.connector if account else self._connection(connection_name),
                account.identifier if account else identifier,
                status=account.status.value if account else None,
                link=link,
            )
        self.store.save(account.model_copy(update={"last_used_at": _now()}))
        return account, token

    def mark_expired(self, account: ConnectedAccount) -> None:
        """Intercom refused the account's token (401): it was revoked or the app uninstalled."""
        current = self.store.get(account.id)
        if current is not None:
            self.store.save(
                current.model_copy(update={"status": AccountStatus.EXPIRED, "updated_at": _now()})
            )

    # -- Scalekit's connected-accounts API -----------------------------------------------------

    def get(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccountResponse:
        return ConnectedAccountResponse(
            connected_account=self.require(connection_name, identifier, connected_account_id)
        )

    def details(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccountResponse:
        account = self.require(connection_name, identifier, connected_account_id)
        return ConnectedAccountResponse(connected_account=account.without_credentials())

    def list(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        provider: str | None = None,
        connection_names: list[str] | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
    ) -> ListConnectedAccountsResponse:
        accounts = self.store.all()
        if provider and provider.upper() != PROVIDER:
            accounts = []
        names = set(connection_names or []) | ({connection_name} if connection_name else set())
        if names:
            accounts = [account for account in accounts if account.connector in names]
        if identifier:
            accounts = [account for account in accounts if account.identifier == identifier]
        if page_token and not page_token.isdigit():
            raise ValueError(f"page_token {page_token!r} was not returned by list_connected_accounts")
        start = int(page_token or 0)
        end = len(accounts) if not page_size else start + max(page_size, 1)
        return ListConnectedAccountsResponse(
            connected_accounts=[account.for_list() for account in accounts[start:end]],
            total_count=len(accounts),
            next_page_token=str(end) if end < len(accounts) else None,
            previous_page_token=str(max(start - (page_size or 0), 0)) if start else None,
        )

    def _with_details(
        self,
        account: ConnectedAccount,
        authorization_details: dict[str, Any] | None,
        api_config: dict[str, Any] | None,
    ) -> ConnectedAccount:
        update: dict[str, Any] = {"updated_at": _now()}
        if authorization_details is not None:
            update["authorization_details"] = dict(authorization_details)
            update["authorization_type"] = _authorization_type(authorization_details)
        if api_config is not None:
            update["api_config"] = dict(api_config)
        account = account.model_copy(update=update)
        if authorization_details is not None:
            has_token = account.access_token is not None
            account = account.model_copy(
                update={"status": AccountStatus.ACTIVE if has_token else AccountStatus.PENDING_AUTH}
            )
        return account

    def create(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
    ) -> ConnectedAccountResponse:
        if not identifier:
            raise ValueError("identifier is required")
        name = self._connection(connection_name)
        if self.store.find(name, identifier) is not None:
            raise ConnectedAccountExistsError(f"{identifier!r} already has an account on {name!r}")
        account = ConnectedAccount(
            id=_new_account_id(), identifier=identifier, status=AccountStatus.PENDING_AUTH, connector=name
        )
        account = self._with_details(account, authorization_details or {}, api_config)
        self.store.save(account)
        return ConnectedAccountResponse(connected_account=account)

    def get_or_create(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
    ) -> ConnectedAccountResponse:
        existing = self.lookup(connection_name, identifier)
        if existing is None:
            return self.create(connection_name, identifier, authorization_details, api_config)
        if authorization_details is None and api_config is None:
            return ConnectedAccountResponse(connected_account=existing)
        account = self._with_details(existing, authorization_details, api_config)
        self.store.save(account)
        return ConnectedAccountResponse(connected_account=account)

    def update(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        authorization_details: dict[str, Any] | None = None,
        api_config: dict[str, Any] | None = None,
        connected_account_id: str | None = None,
    ) -> ConnectedAccountResponse:
        account = self.require(connection_name, identifier, connected_account_id)
        account = self._with_details(account, authorization_details, api_config)
        self.store.save(account)
        return ConnectedAccountResponse(connected_account=account)

    def delete(
        self,
        connection_name: str | None = None,
        identifier: str | None = None,
        connected_account_id: str | None = None,
    ) -> DeleteConnectedAccountResponse:
        account = self.require(connection_name, identifier, connected_account_id)
        self.store.delete(account.id)
        return DeleteConnectedAccountResponse()


__all__ = [
    "AccountStatus",
    "AccountStore",
    "ConnectedAccount",
    "ConnectedAccountForList",
    "ConnectedAccountResponse",
    "ConnectedAccounts",
    "DeleteConnectedAccountResponse",
    "ListConnectedAccountsResponse",
    "MagicLinkResponse",
    "MemoryAccountStore",
    "PendingAuthorization",
    "SQLiteAccountStore",
]
