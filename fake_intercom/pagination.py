"""Intercom's two pagination styles.

Cursor lists walk an index by keyset (`WHERE (sort, id) < (?, ?)`), never by OFFSET, so page 500
costs what page 1 costs. The cursor is opaque to clients: base64 of a JSON array, like Intercom's
`WzE3...`. Page lists (`page`, `per_page`) answer with Intercom's `next` URL and an empty page past
the end.
"""

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson

from fake_intercom.errors import client_error, parameter_invalid
from fake_intercom.store import Store

INVALID_CURSOR = (
    "Invalid starting_after param. Please try again using a starting_after value from a paginated response"
)


@dataclass(frozen=True)
class Order:
    """One sort key: an SQL expression that is never NULL, its direction, and the values of its `?`."""

    expression: str
    descending: bool = True
    params: Sequence[Any] = ()


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.b64encode(orjson.dumps(list(values))).decode()


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        values = orjson.loads(base64.b64decode(cursor.encode(), validate=True))
    except (ValueError, orjson.JSONDecodeError):
        raise client_error(INVALID_CURSOR) from None
    if not isinstance(values, list) or len(values) != width:
        raise client_error(INVALID_CURSOR)
    return values


def check_per_page(per_page: int | None, default: int, maximum: int) -> int:
    if per_page is None:
        return default
    if per_page < 1 or per_page > maximum:
        raise parameter_invalid(f"per_page must be between 1 and {maximum}", field="per_page")
    return per_page


@dataclass
class CursorPage:
    rows: list[dict[str, Any]]
    page: int
    per_page: int
    total_count: int
    next_cursor: str | None

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_count / self.per_page) if self.total_count else 0

    def pages(self) -> dict[str, Any]:
        pages: dict[str, Any] = {
            "type": "pages",
            "page": self.page,
            "per_page": self.per_page,
            "total_pages": self.total_pages,
        }
        if self.next_cursor:
            pages["next"] = {"page": self.page + 1, "starting_after": self.next_cursor}
        return pages


@dataclass(frozen=True)
class KeysetQuery:
    """The SQL of one cursor page, and the number of the page it reads."""

    sql: str
    params: list[Any]
    page: int


def keyset_query(
    *,
    select: str,
    from_where: str,
    params: Sequence[Any],
    order: Sequence[Order],
    per_page: int,
    starting_after: str | None,
) -> KeysetQuery:
    """`SELECT {select} FROM {from_where}` in `order`, after the cursor's row, one row more than a page
    (which says whether there is a next one)."""
    page = 1
    seek = ""
    seek_params: list[Any] = []
    if starting_after:
        *last_values, previous_page = decode_cursor(starting_after, len(order) + 1)
        if not isinstance(previous_page, int):
            raise client_error(INVALID_CURSOR)
        page = previous_page + 1
        seek, seek_params = _after(order, last_values)
    where_joiner = " AND " if " WHERE " in f" {from_where} ".upper() else " WHERE "
    sort_columns = ", ".join(f"{o.expression} AS _sort{i}" for i, o in enumerate(order))
    order_by = ", ".join(f"{o.expression} {'DESC' if o.descending else 'ASC'}" for o in order)
    sql = f"SELECT {select}, {sort_columns} FROM {from_where}"
    if seek:
        sql += f"{where_joiner}{seek}"
    sql += f" ORDER BY {order_by} LIMIT ?"
    expression_params = [value for o in order for value in o.params]
    return KeysetQuery(
        sql, [*expression_params, *params, *seek_params, *expression_params, per_page + 1], page
    )


def cursor_page(
    store: Store,
    *,
    select: str,
    from_where: str,
    params: Sequence[Any],
    order: Sequence[Order],
    per_page: int,
    starting_after: str | None,
    total: int | None = None,
) -> CursorPage:
    """One page of `SELECT {select} FROM {from_where}` in `order`, after the cursor's row.

    `order` must end with a unique key. The cursor carries the page number and the last row's
    sort values, so the next page is an index seek from that row. `total` is the number of rows when
    the caller keeps it; otherwise they are counted (once until the next write, see `Store.count`).
    """
    query = keyset_query(
        select=select,
        from_where=from_where,
        params=params,
        order=order,
        per_page=per_page,
        starting_after=starting_after,
    )
    if total is None:
        total = store.count(f"SELECT COUNT(*) FROM {from_where}", list(params))
    rows = store.query(query.sql, query.params) if total else []
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = encode_cursor([*(last[f"_sort{i}"] for i in range(len(order))), query.page])
    return CursorPage(rows, query.page, per_page, total, next_cursor)


def _after(order: Sequence[Order], values: Sequence[Any]) -> tuple[str, list[Any]]:
    """The keyset condition 'comes after this row' for a mixed-direction ordering."""
    clauses = []
    params: list[Any] = []
    for i, key in enumerate(order):
        equal_prefix = [f"{o.expression} = ?" for o in order[:i]]
        comparison = f"{key.expression} {'<' if key.descending else '>'} ?"
        clauses.append("(" + " AND ".join([*equal_prefix, comparison]) + ")")
        for o, value in zip(order[: i + 1], values[: i + 1], strict=True):
            params.extend([*o.params, value])
    # The bound on the first key is implied by the OR, but only as a term of its own can SQLite seek the
    # index to it: without it, the last page scanned the whole index from its start.
    first = order[0]
    bound = f"{first.expression} {'<=' if first.descending else '>='} ?"
    return f"{bound} AND (" + " OR ".join(clauses) + ")", [*first.params, values[0], *params]


@dataclass
class NumberedPage:
    rows: list[dict[str, Any]]
    page: int
    per_page: int
    total_count: int
    url: str
    query: dict[str, Any]

    @property
    def total_pages(self) -> int:
        return math.ceil(self.total_count / self.per_page) if self.total_count else 0

    def body(self, data: list[Any]) -> dict[str, Any]:
        """The answer of a page list: Intercom's `list` with its total and `pages`."""
        return {"type": "list", "data": data, "total_count": self.total_count, "pages": self.pages()}

    def pages(self) -> dict[str, Any]:
        next_url = None
        if self.page < self.total_pages:
            next_url = (
                f"{self.url}?{urlencode({**self.query, 'per_page': self.per_page, 'page': self.page + 1})}"
            )
        return {
            "type": "pages",
            "next": next_url,
            "page": self.page,
            "per_page": self.per_page,
            "total_pages": self.total_pages,
        }


def numbered_page(
    store: Store,
    *,
    select: str,
    from_where: str,
    params: Sequence[Any],
    order_by: str,
    page: int | None,
    per_page: int,
    url: str,
    query: dict[str, Any] | None = None,
    total: int | None = None,
) -> NumberedPage:
    """Page `page` (from 1) of a list; past the end it is an empty page, never an error. `total` is the
    number of rows when the caller keeps it; otherwise they are counted (as `cursor_page` does)."""
    page = page or 1
    if page < 1:
        raise parameter_invalid("page must be 1 or more", field="page")
    rows = store.query(
        f"SELECT {select} FROM {from_where} ORDER BY {order_by} LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    if total is None:
        total = store.count(f"SELECT COUNT(*) FROM {from_where}", list(params))
    return NumberedPage(
        rows, page, per_page, total, url, {k: v for k, v in (query or {}).items() if v is not None}
    )
