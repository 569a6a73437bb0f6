"""Intercom's search query language, compiled to parameterised SQL.

Used by every search endpoint (`POST /contacts/search`, conversations, tickets). A resource
describes itself once with a `SearchSpec`: where its rows live, which fields are searchable (a
registry of Intercom field name -> SQL expression and type), which operators each type takes and
whether dates are matched by calendar day. `search(...)` then validates a request body, compiles
its query and returns one keyset page. Field names only ever select registry entries; every value
is a bound parameter.

A query is a filter `{field, operator, value}` or a group `{operator: "AND"|"OR", value: [...]}`;
groups nest at most two levels deep and hold at most 15 filters each.

Errors (HTTP 400, `error.list`), chosen so that a client can tell what to fix:

- `invalid_field`: the field is not searchable here (or names a custom attribute the workspace
  lacks), or the sort field cannot be sorted on. `field` names it.
- `invalid_operator`: an unknown operator, one the field's type does not take (dates take only
  `=`, `<`, `>`; `tag_id` only `=`, `!=`), or a group operator other than AND/OR.
- `parameter_invalid`: a value of the wrong type (a string for a date, a scalar for IN/NIN, an
  array for `=`...), a malformed filter, an empty group, nesting deeper than two levels or more
  than 15 filters in one group, or a per_page out of range.
- `invalid_sort_order` (Intercom-Version 2.16 and later): `sort.order` other than
  `ascending`/`descending`. Earlier versions read anything but `ascending` as descending.
- `client_error`: a `starting_after` cursor that this API did not hand out.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contracts.models.search import SearchRequest
from contracts.versions import at_least
from fake_intercom.errors import (
    invalid_field,
    invalid_operator,
    invalid_sort_order,
    parameter_invalid,
)
from fake_intercom.pagination import CursorPage, Order, check_per_page, cursor_page
from fake_intercom.store import TABLES, Store, Workspace

STRING, INTEGER, FLOAT, BOOLEAN, DATE = "string", "integer", "float", "boolean", "date"

MAX_DEPTH = 2
MAX_FILTERS_PER_GROUP = 15
INT64 = (-(2**63), 2**63 - 1)
NUMERIC_STRING = re.compile(r"-?\d+")

COLUMN = re.compile(r"(\w+)\.(\w+)")

NEGATIONS = {"!=": "=", "NIN": "IN", "!~": "~"}
ALL_OPERATORS = frozenset({"=", "!=", "IN", "NIN", "<", ">", "<=", ">=", "~", "!~", "^", "$"})
LIST_OPERATORS = frozenset({"IN", "NIN"})

# Contacts search (FIDELITY §5.3): what each type accepts.
CONTACT_OPERATORS: Mapping[str, frozenset[str]] = {
    STRING: frozenset({"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}),
    BOOLEAN: frozenset({"=", "!=", "IN", "NIN"}),
    INTEGER: frozenset({"=", "!=", "IN", "NIN", "<", ">", "<=", ">="}),
    FLOAT: frozenset({"=", "!=", "IN", "NIN", "<", ">", "<=", ">="}),
    DATE: frozenset({"=", "<", ">"}),
}


@dataclass(frozen=True)
class Field:
    """One searchable field.

    `expression` is SQL over the spec's row alias; its `?` are bound from `params`. A field with
    `exists_in` is multi-valued (a contact's tags): `exists_in` is `"<table> <alias> WHERE
    <correlation>"`, the filter matches when some value matches, and its negations when none does.
    """

    type: str
    expression: str
    params: tuple[Any, ...] = ()
    exists_in: str | None = None
    operators: frozenset[str] | None = None

    @property
    def sortable(self) -> bool:
        return self.exists_in is None


Resolver = Callable[[Store, str, str], Field | None]


@dataclass(frozen=True)
class SearchSpec:
    name: str
    source: str
    """`<table> <alias>`, e.g. `contacts c`."""
    alias: str
    scope: str
    """Which rows can be found at all; its only parameter is the workspace id."""
    fields: Mapping[str, Field]
    operators: Mapping[str, frozenset[str]]
    default_sort: str
    default_per_page: int
    max_per_page: int = 150
    day_granular_dates: bool = True
    resolve: Resolver | None = None
    """Fields outside the registry, such as `custom_attributes.<name>`; None when unknown."""


def custom_attribute_resolver(model: str, column: str) -> Resolver:
    """`custom_attributes.<name>` over a JSON column, typed by the workspace's data attribute."""
    types = {"string": STRING, "integer": INTEGER, "float": FLOAT, "boolean": BOOLEAN, "date": DATE}

    def resolve(store: Store, workspace_id: str, field: str) -> Field | None:
        prefix, _, name = field.partition(".")
        if prefix != "custom_attributes" or not name or '"' in name or "\\" in name:
            return None
        data_type = store.scalar(
            "SELECT data_type FROM data_attributes WHERE workspace_id = ? AND model = ? AND name = ? "
            "AND COALESCE(archived, 0) = 0",
            (workspace_id, model, name),
        )
        if data_type is None:
            return None
        return Field(
            types.get(data_type, STRING),
            f"json_extract({column}, ?)",
            (f'$."{name}"',),
        )

    return resolve


def search(
    store: Store, workspace: Workspace, version: str, spec: SearchSpec, body: SearchRequest
) -> CursorPage:
    """One page of `spec`'s rows matching the body's query, in its sort order, then by id."""
    compiler = _Compiler(store, workspace, spec)
    where, where_params = compiler.compile(body.query)
    sort_field, descending = _sort(compiler, body, version)
    pagination = body.pagination
    per_page = check_per_page(
        pagination.per_page if pagination else None, spec.default_per_page, spec.max_per_page
    )
    subquery = (
        f"SELECT {spec.alias}.*, {_sort_key(sort_field)} AS _sort FROM {spec.source} "
        f"WHERE {spec.scope} AND ({where})"
    )
    return cursor_page(
        store,
        select="t.*",
        from_where=f"({subquery}) AS t WHERE 1",
        params=[*sort_field.params, workspace.id, *where_params],
        order=[Order("t._sort", descending), Order("t.id", descending)],
        per_page=per_page,
        starting_after=pagination.starting_after if pagination else None,
    )


def _sort(compiler: "_Compiler", body: SearchRequest, version: str) -> tuple[Field, bool]:
    sort = body.sort
    order = sort.order if sort and sort.order is not None else "descending"
    if at_least(version, "2.16") and order not in ("ascending", "descending"):
        raise invalid_sort_order(f"Invalid sort order '{order}'. Must be one of: ascending, descending")
    name = sort.field if sort and sort.field else compiler.spec.default_sort
    field = compiler.field(name)
    if not field.sortable:
        raise invalid_field(f"Cannot sort on '{name}'", field=name)
    return field, order != "ascending"


def _sort_key(field: Field) -> str:
    """Never NULL, as keyset pagination needs: missing values sort below every present one."""
    missing = "''" if field.type == STRING else str(INT64[0])
    return f"COALESCE({field.expression}, {missing})"


def day_bounds(timestamp: int, timezone: str) -> tuple[int, int]:
    """The local midnight starting `timestamp`'s day and the next one, as Unix seconds."""
    zone = ZoneInfo(timezone or "UTC")
    local = datetime.fromtimestamp(timestamp, zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


class _Compiler:
    def __init__(self, store: Store, workspace: Workspace, spec: SearchSpec) -> None:
        self.store = store
        self.workspace = workspace
        self.spec = spec

    def _text_column(self, field: Field) -> bool:
        """Whether `field` is a text column of the searched table itself, which an index can serve."""
        column = COLUMN.fullmatch(field.expression)
        if column is None or field.params or field.exists_in or column[1] != self.spec.alias:
            return False
        table = TABLES.get(self.spec.source.split()[0])
        return table is not None and table.columns.get(column[2]) is str

    def field(self, name: Any) -> Field:
        field = self.spec.fields.get(name) if isinstance(name, str) else None
        if field is None and isinstance(name, str) and self.spec.resolve is not None:
            field = self.spec.resolve(self.store, self.workspace.id, name)
        if field is None:
            raise invalid_field(f"'{name}' is not a searchable field of {self.spec.name}", field=str(name))
        return field

    def compile(self, node: Any, depth: int = 0) -> tuple[str, list[Any]]:
        if not isinstance(node, dict):
            raise parameter_invalid(
                "query must be an object: a filter {field, operator, value} or a group {operator, value}"
            )
        if "field" in node:
            return self._filter(node)
        return self._group(node, depth + 1)

    def _group(self, node: dict[str, Any], depth: int) -> tuple[str, list[Any]]:
        operator, members = node.get("operator"), node.get("value")
        if operator not in ("AND", "OR"):
            raise invalid_operator(f"'{operator}' is not a valid group operator: use AND or OR")
        if depth > MAX_DEPTH:
            raise parameter_invalid(f"Queries can nest at most {MAX_DEPTH} levels of AND/OR")
        if not isinstance(members, list) or not members:
            raise parameter_invalid(f"The value of an {operator} group must be a non-empty array of filters")
        if len(members) > MAX_FILTERS_PER_GROUP:
            raise parameter_invalid(f"An {operator} group can hold at most {MAX_FILTERS_PER_GROUP} filters")
        parts, params = [], []
        for member in members:
            sql, member_params = self.compile(member, depth)
            parts.append(f"({sql})")
            params.extend(member_params)
        return f" {operator} ".join(parts), params

    def _filter(self, node: dict[str, Any]) -> tuple[str, list[Any]]:
        name, operator, value = node.get("field"), node.get("operator"), node.get("value")
        field = self.field(name)
        allowed = field.operators or self.spec.operators[field.type]
        if operator not in ALL_OPERATORS or operator not in allowed:
            raise invalid_operator(
                f"Operator '{operator}' is not supported on {field.type} field '{name}'; "
                f"use one of {', '.join(sorted(allowed))}",
                field=name,
            )
        values = self._values(field, name, operator, value)
        positive = NEGATIONS.get(operator, operator)
        if values == [None]:
            sql, params = self._missing(field)
            return (sql if positive == operator else f"NOT ({sql})"), params
        sql, params = self._match(field, positive, values)
        return (sql if positive == operator else f"NOT ({sql})"), params

    def _values(self, field: Field, name: str, operator: str, value: Any) -> list[Any]:
        if operator in LIST_OPERATORS:
            if not isinstance(value, list):
                raise parameter_invalid(f"{operator} on '{name}' needs an array of values", field=name)
            return [self._scalar(field, name, item) for item in value]
        if isinstance(value, (list, dict)):
            raise parameter_invalid(f"Operator '{operator}' on '{name}' needs a single value", field=name)
        if value is None:
            if operator not in ("=", "!="):
                raise parameter_invalid(f"Operator '{operator}' on '{name}' needs a value", field=name)
            return [None]
        return [self._scalar(field, name, value)]

    def _scalar(self, field: Field, name: str, value: Any) -> Any:
        kind = field.type
        if kind == STRING and isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
        if kind == BOOLEAN:
            if isinstance(value, bool):
                return int(value)
            if value in ("true", "false"):
                return int(value == "true")
        if kind in (INTEGER, DATE) or (kind == FLOAT and not isinstance(value, float)):
            number = _integer(value)
            if number is not None:
                return number
        if kind == FLOAT and isinstance(value, float):
            return value
        raise parameter_invalid(f"{value!r} is not a valid {kind} value for '{name}'", field=name)

    def _missing(self, field: Field) -> tuple[str, list[Any]]:
        if field.exists_in:
            return f"NOT EXISTS (SELECT 1 FROM {field.exists_in})", []
        return f"{field.expression} IS NULL", list(field.params)

    def _match(self, field: Field, operator: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """A predicate that is true or false, never NULL, so that NOT() is its exact negation."""
        predicate, params = self._predicate(field, operator, values)
        if field.exists_in:
            return f"EXISTS (SELECT 1 FROM {field.exists_in} AND {predicate})", params
        # `+` keeps the planner from choosing an index for the NULL test over one for the predicate.
        return f"(+{field.expression} IS NOT NULL AND {predicate})", [*field.params, *params]

    def _predicate(self, field: Field, operator: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        x = field.expression
        p = list(field.params)
        if field.type == STRING and operator in ("=", "IN") and self._text_column(field):
            # Equality on a text column: NOCASE compares as LIKE does (ASCII case folded, nothing else),
            # and unlike LIKE it can use an index declared with `COLLATE NOCASE`.
            if not values:
                return "0", []
            return f"{x} COLLATE NOCASE IN ({', '.join('?' * len(values))})", list(values)
        if field.type == STRING:
            # LIKE: ASCII case-insensitive, the way Intercom matches strings.
            patterns = [_like(operator, value) for value in values]
            if not patterns:
                return "0", []
            return "(" + " OR ".join(f"{x} LIKE ? ESCAPE '\\'" for _ in patterns) + ")", [
                item for pattern in patterns for item in (*p, pattern)
            ]
        if operator == "IN":
            if not values:
                return "0", []
            return f"{x} IN ({', '.join('?' * len(values))})", [*p, *values]
        if field.type == DATE and self.spec.day_granular_dates:
            return self._day(x, p, operator, values[0])
        return f"{x} {operator} ?", [*p, values[0]]

    def _day(self, x: str, p: list[Any], operator: str, timestamp: int) -> tuple[str, list[Any]]:
        try:
            start, end = day_bounds(timestamp, self.workspace.timezone)
        except (OverflowError, ValueError, OSError):
            raise parameter_invalid(f"{timestamp} is not a valid date") from None
        if operator == "=":
            return f"{x} >= ? AND {x} < ?", [*p, start, *p, end]
        if operator == ">":
            return f"{x} >= ?", [*p, end]
        return f"{x} < ?", [*p, start]


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and NUMERIC_STRING.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and INT64[0] <= value <= INT64[1]:
        return value
    return None


def _like(operator: str, value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"=": escaped, "IN": escaped, "~": f"%{escaped}%", "^": f"{escaped}%", "$": f"%{escaped}"}[
        operator
    ]
