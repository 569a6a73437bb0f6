"""Intercom's search query language, compiled to parameterised SQL.

Used by every search endpoint (`POST /contacts/search`, conversations, tickets). A resource
describes itself once with a `SearchSpec`: where its rows live, which fields are searchable (a
registry of Intercom field name -> SQL expression and type), which operators each type takes and
whether dates are matched by calendar day. `search(...)` then validates a request body, compiles
its query and returns one keyset page. Field names only ever select registry entries; every value
is a bound parameter.

A query is a filter `{field, operator, value}` or a group `{operator: "AND"|"OR", value: [...]}`;
groups nest at most two levels deep and hold at most 15 filters each.

Errors (HTTP 400, `error.list`), with the codes of FIDELITY §3 (Intercom sends no search-specific
code for a bad query: `invalid_field`/`invalid_operator` are not among its codes):

- `parameter_invalid`: a field that is not searchable here (or a custom attribute the workspace
  lacks), a sort field that cannot be sorted on, an unknown operator or one the field's type does
  not take (dates take only `=`, `<`, `>`; `tag_id` only `=`, `!=`), a group operator other than
  AND/OR, a value of the wrong type for its field (a word for a date, `5` for `role`, `"true"` for a
  boolean, a scalar for IN/NIN, an array for `=`...), text that is not Unicode (a lone surrogate)
  or longer than a pattern can be, a malformed filter, an empty group, nesting deeper than two
  levels or more than 15 filters in one group, or a per_page out of range.
- `invalid_sort_order` (Intercom-Version 2.16 and later): `sort.order` other than
  `ascending`/`descending`. Earlier versions read anything but `ascending` as descending.
- `client_error`: a `starting_after` cursor that this API did not hand out.

Values (FIDELITY §5.5, §11.3, §11.4): numbers and dates take numbers or numeric strings; dates also
take unix seconds with a fraction (`datetime.timestamp()`), truncated to the second. Text fields take
text; fields that hold ids (`id`, `*_id`, `*_ids`, `*.id`) also take an id sent as a number (FIDELITY
§7). A `numeric_id` field (conversation `id`) compares `<`/`>` as numbers, the way Intercom orders its
numeric ids, with `""` below every id, and sorts numerically.
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contracts.models.search import SearchRequest
from contracts.versions import at_least
from fake_intercom.errors import invalid_sort_order, parameter_invalid
from fake_intercom.pagination import (
    CursorPage,
    KeysetQuery,
    Order,
    check_per_page,
    cursor_page,
    keyset_query,
)
from fake_intercom.store import TABLES, Store, Workspace

STRING, INTEGER, FLOAT, BOOLEAN, DATE = "string", "integer", "float", "boolean", "date"
NUMERIC_ID = "numeric_id"

MAX_DEPTH = 2
MAX_FILTERS_PER_GROUP = 15
INT64 = (-(2**63), 2**63 - 1)
NUMERIC_STRING = re.compile(r"-?\d+")
DIGITS = re.compile(r"\d+")
# SQLite's default SQLITE_MAX_LIKE_PATTERN_LENGTH: a longer LIKE pattern fails the whole query.
MAX_LIKE_PATTERN_BYTES = 50_000

COLUMN = re.compile(r"(\w+)\.(\w+)")

NEGATIONS = {"!=": "=", "NIN": "IN", "!~": "~"}
LIST_OPERATORS = frozenset({"IN", "NIN"})

# Contacts search (FIDELITY §5.3): what each type accepts.
CONTACT_OPERATORS: Mapping[str, frozenset[str]] = {
    STRING: frozenset({"=", "!=", "IN", "NIN", "~", "!~", "^", "$"}),
    BOOLEAN: frozenset({"=", "!=", "IN", "NIN"}),
    INTEGER: frozenset({"=", "!=", "IN", "NIN", "<", ">", "<=", ">="}),
    FLOAT: frozenset({"=", "!=", "IN", "NIN", "<", ">", "<=", ">="}),
    DATE: frozenset({"=", "<", ">"}),
}
NUMERIC_ID_OPERATORS = frozenset({"=", "!=", "IN", "NIN", "<", ">"})


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
    nocase: bool | None = None
    """Compared with `COLLATE NOCASE` (text ignoring ASCII case, as LIKE does; numbers as numbers), which
    an index in that collation serves. None: when it is a text column of the searched table."""
    lookup: bool = False
    """`=` and `IN` on it find few rows through an index: such a filter leads the search."""
    indexed: bool = False
    """An index in its collation serves every comparison on it: alone in a query, it leads the search."""
    covering: bool = False
    """Its index also holds every other column a filter compares without an index of its own (a contact's
    role, dates and custom attributes): an AND with no better lead starts from it and reads no rows."""
    required: bool = False
    """Never NULL: sorted on as it is, so that an index on it gives the order."""
    trigram: str | None = None
    """Its column in the spec's trigram index, which finds the candidates of `~`, `^` and `$`."""
    joined: bool = False
    """Read from the spec's `join`, which queries of other fields leave out."""
    counted: str | None = None
    """Its name in the spec's `value_counts`, which keep how many rows hold each of its values (compared
    ignoring case): a query that is one comparison of it is counted from them, not from its rows."""

    @property
    def sortable(self) -> bool:
        return self.exists_in is None


Resolver = Callable[[Store, str, str], Field | None]


@dataclass(frozen=True)
class SearchSpec:
    name: str
    source: str
    """`<table> <alias>`, e.g. `contacts c`, and what it always joins."""
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
    table: str = ""
    """Where a found row is read from, by workspace and id (the source's own table when empty)."""
    trigram: str = ""
    """A trigram index (FTS5) over the source: `<table> <rowid expression>`, e.g. `text s.rid`."""
    join: str = ""
    """Joined to the source when a `joined` field is searched or sorted on."""
    value_counts: str = ""
    """A table of `(workspace_id, field, value, counted)` kept for the fields that are `counted`."""

    @property
    def rows_table(self) -> str:
        return self.table or self.source.split()[0]


# A search with at most this many matches is read through the index of its leading filter and then
# sorted; one with more walks the index of its sort order (reaching a page after a few times per_page
# rows) unless it has no such index.
SORTED_IN_MEMORY = 2_000
# Shorter substrings have no trigram to look up: they are matched row by row.
TRIGRAM = 3


def custom_attribute_type(store: Store, workspace_id: str, model: str, field: str) -> str | None:
    """The search type of `custom_attributes.<name>`, None when the workspace has no such attribute."""
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
    types = {"string": STRING, "integer": INTEGER, "float": FLOAT, "boolean": BOOLEAN, "date": DATE}
    return types.get(data_type, STRING)


@dataclass(frozen=True)
class CompiledSearch:
    """A search as SQL: how it counts its matches, and how it reads one page of their ids."""

    count_sql: str
    count_params: list[Any]
    from_where: str
    """The page's `<source> WHERE ...`, without its order."""
    params: list[Any]
    order: list[Order]
    per_page: int
    starting_after: str | None
    select: str
    """The ids and the sort keys of a page: its rows are read by id once it is sorted."""

    def page_query(self) -> KeysetQuery:
        return keyset_query(
            select=self.select,
            from_where=self.from_where,
            params=self.params,
            order=self.order,
            per_page=self.per_page,
            starting_after=self.starting_after,
        )


def search(
    store: Store, workspace: Workspace, version: str, spec: SearchSpec, body: SearchRequest
) -> CursorPage:
    """One page of `spec`'s rows matching the body's query, in its sort order, then by id."""
    compiled, total = compile_search(store, workspace, version, spec, body)
    page = cursor_page(
        store,
        select=compiled.select,
        from_where=compiled.from_where,
        params=compiled.params,
        order=compiled.order,
        per_page=compiled.per_page,
        starting_after=compiled.starting_after,
        total=total,
    )
    # Only the page's ids and sort keys were sorted: its rows are read now, by id.
    ids = [row["id"] for row in page.rows]
    if ids:
        found = {
            row["id"]: row
            for row in store.query(
                f"SELECT * FROM [{spec.rows_table}] WHERE workspace_id = ? AND id IN ({', '.join('?' * len(ids))})",
                [workspace.id, *ids],
            )
        }
        page.rows = [found[row_id] for row_id in ids]
    return page


def compile_search(
    store: Store, workspace: Workspace, version: str, spec: SearchSpec, body: SearchRequest
) -> tuple[CompiledSearch, int]:
    """The SQL of a search and its number of matches (which decides how its page is read)."""
    compiler = _Compiler(store, workspace, spec)
    tree = compiler.compile(body.query)
    sort_field, descending = _sort(compiler, body, version)
    pagination = body.pagination
    per_page = check_per_page(
        pagination.per_page if pagination else None, spec.default_per_page, spec.max_per_page
    )
    leaders = _leaders(tree, top=True)
    source = f"{spec.source} {spec.join if compiler.joined else ''}WHERE {spec.scope} AND "
    where, where_params = tree.sql(leaders)
    count_sql, count_params = _kept_count(compiler, tree) or (
        f"SELECT COUNT(*) FROM {source}({where})",
        [workspace.id, *where_params],
    )
    total = store.count(count_sql, count_params)
    # Few matches: found through their leading filter's index, then sorted (`+` keeps the sort order's
    # index out). Many: the sort order's index is walked and no filter's index is taken instead.
    through_leaders = bool(leaders) and total <= SORTED_IN_MEMORY
    if not through_leaders:
        where, where_params = tree.sql(frozenset())
    mark = "+" if through_leaders else ""
    sort_params = list(sort_field.params)
    compiled = CompiledSearch(
        count_sql=count_sql,
        count_params=count_params,
        from_where=f"{source}({where})",
        params=[workspace.id, *where_params],
        order=[
            Order(_sort_key(sort_field, mark), descending, sort_params),
            Order(f"{mark}{spec.alias}.id", descending),
        ],
        per_page=per_page,
        starting_after=pagination.starting_after if pagination else None,
        select=f"{spec.alias}.id AS id",
    )
    return compiled, total


def _kept_count(compiler: "_Compiler", tree: "_Node") -> tuple[str, list[Any]] | None:
    """How to count a query that is one comparison of a `counted` field: from the counts of the values
    it matches, with the very predicate its rows would be matched with. None for any other query."""
    spec = compiler.spec
    if not spec.value_counts or not isinstance(tree, _Filter):
        return None
    field = tree.field
    if (
        field.counted is None
        or tree.negated
        or tree.values == (None,)
        or tree.operator in ("~", "^", "$")
        or not compiler.nocase(field)
    ):
        return None
    value = replace(field, expression="v.value", params=(), trigram=None)
    predicate, params = compiler.match(value, tree.operator, tree.values, "")
    return (
        f"SELECT COALESCE(SUM(v.counted), 0) FROM {spec.value_counts} v "
        f"WHERE v.workspace_id = ? AND v.field = ? AND ({predicate})",
        [compiler.workspace.id, field.counted, *params],
    )


def _sort(compiler: "_Compiler", body: SearchRequest, version: str) -> tuple[Field, bool]:
    sort = body.sort
    order = sort.order if sort and sort.order is not None else "descending"
    if at_least(version, "2.16") and order not in ("ascending", "descending"):
        raise invalid_sort_order(f"Invalid sort order '{order}'. Must be one of: ascending, descending")
    name = sort.field if sort and sort.field else compiler.spec.default_sort
    field = compiler.field(name)
    if not field.sortable:
        raise parameter_invalid(f"Cannot sort on {name}", field=name)
    return field, order != "ascending"


def _sort_key(field: Field, mark: str = "") -> str:
    """Never NULL, as keyset pagination needs: missing values sort below every present one."""
    x = f"{mark}{field.expression}"
    if field.type == NUMERIC_ID:
        return f"COALESCE(CAST({x} AS INTEGER), {INT64[0]})"
    if field.required:
        return x
    missing = "''" if field.type == STRING else str(INT64[0])
    return f"COALESCE({x}, {missing})"


def day_bounds(timestamp: int, timezone: str) -> tuple[int, int]:
    """The local midnight starting `timestamp`'s day and the next one, as Unix seconds."""
    zone = ZoneInfo(timezone or "UTC")
    local = datetime.fromtimestamp(timestamp, zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


# -- the compiled query ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filter:
    """One filter, validated: rendered as SQL once the search knows which filters an index serves."""

    compiler: "_Compiler"
    field: Field
    operator: str
    """Without its negation: `=`, `IN`, `~`, `^`, `$`, `<`, `>`, `<=`, `>=`."""
    values: tuple[Any, ...]
    negated: bool

    @property
    def leads(self) -> bool:
        """Whether an index finds this filter's few matches, so that the search can start from them."""
        if self.negated or self.values == (None,) or self.field.exists_in:
            return False
        if self.operator in ("=", "IN") and self.field.lookup:
            return True
        return self.compiler.trigram_column(self.field, self.operator, self.values) is not None

    @property
    def indexed(self) -> bool:
        return not self.negated and self.values != (None,) and self.field.indexed

    def sql(self, indexed: frozenset[int]) -> tuple[str, list[Any]]:
        mark = "" if id(self) in indexed else "+"
        if self.values == (None,):
            sql, params = self.compiler.missing(self.field, mark)
        else:
            sql, params = self.compiler.match(self.field, self.operator, self.values, mark, self.negated)
        return (f"NOT ({sql})" if self.negated else sql), params


@dataclass(frozen=True)
class _Group:
    operator: str
    members: tuple["_Node", ...]

    def sql(self, indexed: frozenset[int]) -> tuple[str, list[Any]]:
        parts, params = [], []
        for member in self.members:
            sql, member_params = member.sql(indexed)
            parts.append(f"({sql})")
            params.extend(member_params)
        return f" {self.operator} ".join(parts), params


_Node = _Filter | _Group


def _leaders(node: _Node, top: bool = False) -> frozenset[int]:
    """The filters whose indexes a search starts from (by id), empty when it must read every row.

    A query that is one filter with an index starts from it; an AND starts from those of its members
    that lead (a lookup, a trigram match, or an OR of them): the rest are checked on the rows found. An
    AND with none of those starts from a member whose index covers the rest, narrowing the entries read.
    """
    if isinstance(node, _Filter):
        return frozenset({id(node)}) if node.leads or (top and node.indexed) else frozenset()
    if node.operator == "OR":
        parts = [_leaders(member) for member in node.members]
        return frozenset().union(*parts) if all(parts) else frozenset()
    leaders = frozenset().union(*(_leaders(member) for member in node.members))
    if leaders or not top:
        return leaders
    return frozenset(
        id(member)
        for member in node.members
        if isinstance(member, _Filter) and member.indexed and member.field.covering
    )


class _Compiler:
    def __init__(self, store: Store, workspace: Workspace, spec: SearchSpec) -> None:
        self.store = store
        self.workspace = workspace
        self.spec = spec
        self.joined = False
        """Whether a field read from the spec's join was used."""

    def nocase(self, field: Field) -> bool:
        """Whether `field` is compared ignoring case through `COLLATE NOCASE`: declared so, or a text
        column of the searched table itself, which an index can serve."""
        if field.nocase is not None:
            return field.nocase
        column = COLUMN.fullmatch(field.expression)
        if column is None or field.params or field.exists_in or column[1] != self.spec.alias:
            return False
        table = TABLES.get(self.spec.source.split()[0])
        return table is not None and table.columns.get(column[2]) is str

    def trigram_column(self, field: Field, operator: str, values: Sequence[Any]) -> str | None:
        """The trigram index column that finds candidates for this substring match, if one can."""
        if not (self.spec.trigram and field.trigram and operator in ("~", "^", "$")):
            return None
        return field.trigram if len(values[0]) >= TRIGRAM else None

    def field(self, name: Any) -> Field:
        field = self.spec.fields.get(name) if isinstance(name, str) else None
        if field is None and isinstance(name, str) and _is_text(name) and self.spec.resolve is not None:
            field = self.spec.resolve(self.store, self.workspace.id, name)
        if field is None:
            shown = name if isinstance(name, str) and _is_text(name) else None
            raise parameter_invalid(
                f"{shown or 'This field'} is not a searchable field of {self.spec.name}", field=shown
            )
        self.joined = self.joined or field.joined
        return field

    def compile(self, node: Any, depth: int = 0) -> _Node:
        if not isinstance(node, dict):
            raise parameter_invalid(
                "query must be an object: a filter {field, operator, value} or a group {operator, value}"
            )
        if "field" in node:
            return self._filter(node)
        return self._group(node, depth + 1)

    def _group(self, node: dict[str, Any], depth: int) -> _Node:
        operator, members = node.get("operator"), node.get("value")
        if operator not in ("AND", "OR"):
            raise parameter_invalid("The operator of a group of filters must be AND or OR")
        if depth > MAX_DEPTH:
            raise parameter_invalid(f"Queries can nest at most {MAX_DEPTH} levels of AND/OR")
        if not isinstance(members, list) or not members:
            raise parameter_invalid(f"The value of an {operator} group must be a non-empty array of filters")
        if len(members) > MAX_FILTERS_PER_GROUP:
            raise parameter_invalid(f"An {operator} group can hold at most {MAX_FILTERS_PER_GROUP} filters")
        compiled = [self.compile(member, depth) for member in members]
        if operator == "OR":
            compiled = _equalities_as_in(compiled)
        return compiled[0] if len(compiled) == 1 else _Group(operator, tuple(compiled))

    def _filter(self, node: dict[str, Any]) -> _Filter:
        field = self.field(node.get("field"))
        name: str = node["field"]  # a searchable field's name, now that it resolved
        operator, value = node.get("operator"), node.get("value")
        allowed = field.operators or self.spec.operators[field.type]
        if not isinstance(operator, str) or operator not in allowed:
            shown = f"'{operator}' " if isinstance(operator, str) and _is_text(operator) else ""
            raise parameter_invalid(
                f"The operator {shown}is not supported on {name}: use one of {', '.join(sorted(allowed))}",
                field=name,
            )
        values = self._values(field, str(name), operator, value)
        positive = NEGATIONS.get(operator, operator)
        if values != [None]:
            self._check(field, positive, values)
        return _Filter(self, field, positive, tuple(values), positive != operator)

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
        if isinstance(value, str) and not _is_text(value):
            raise parameter_invalid(f"The value of {name} is not valid Unicode text", field=name)
        if kind in (STRING, NUMERIC_ID):
            if isinstance(value, str):
                return value
            if _takes_numeric_ids(name) and isinstance(value, int) and not isinstance(value, bool):
                return str(value)
        if kind == BOOLEAN and isinstance(value, bool):
            return int(value)
        if kind == DATE and isinstance(value, float) and math.isfinite(value):
            # Unix seconds with a fraction, as `datetime.timestamp()` gives them (FIDELITY §11.3).
            value = int(value)
        if kind == FLOAT and isinstance(value, float) and math.isfinite(value):
            return value
        if kind in (INTEGER, DATE, FLOAT):
            number = _integer(value)
            if number is not None:
                return number
        raise parameter_invalid(
            f"{_shown(value)} is not a valid {kind.replace('_', ' ')} value for {name}", field=name
        )

    def _check(self, field: Field, operator: str, values: Sequence[Any]) -> None:
        """The errors a value can still raise once typed: a pattern too long, an id or a day that is none."""
        if field.type == STRING and not (operator in ("=", "IN") and self.nocase(field)):
            for value in values:
                _like(operator, value)
        elif field.type == NUMERIC_ID and operator in ("<", ">"):
            bound = values[0]
            if bound != "" and (not DIGITS.fullmatch(bound) or _integer(bound) is None):
                raise parameter_invalid(f"{_shown(bound)} is not an id to compare with")
        elif field.type == DATE and self.spec.day_granular_dates:
            try:
                day_bounds(values[0], self.workspace.timezone)
            except (OverflowError, ValueError, OSError):
                raise parameter_invalid(f"{values[0]} is not a valid date") from None

    def missing(self, field: Field, mark: str) -> tuple[str, list[Any]]:
        if field.exists_in:
            return f"NOT EXISTS (SELECT 1 FROM {field.exists_in})", []
        return f"{mark}{field.expression} IS NULL", list(field.params)

    def match(
        self, field: Field, operator: str, values: Sequence[Any], mark: str, negated: bool = False
    ) -> tuple[str, list[Any]]:
        """A predicate that matches the rows with a value that satisfies it. Under NOT it is never NULL,
        so that NOT() is its exact negation (elsewhere NULL already counts as false)."""
        predicate, params = self._predicate(field, operator, values, mark)
        if field.exists_in:
            return f"EXISTS (SELECT 1 FROM {field.exists_in} AND {predicate})", params
        if not negated:
            return predicate, params
        # `+` keeps the planner from choosing an index for the NULL test over one for the predicate.
        return f"(+{field.expression} IS NOT NULL AND {predicate})", [*field.params, *params]

    def _predicate(
        self, field: Field, operator: str, values: Sequence[Any], mark: str
    ) -> tuple[str, list[Any]]:
        x = f"{mark}{field.expression}"
        p = list(field.params)
        if field.exists_in is None and self.nocase(field):
            # NOCASE compares text as LIKE does (ASCII case folded, nothing else) and numbers as numbers,
            # and unlike LIKE it can use an index declared with `COLLATE NOCASE`.
            x = f"{x} COLLATE NOCASE"
        if field.type == NUMERIC_ID:
            return self._numeric_id(x, p, operator, values)
        if field.type == STRING and operator in ("=", "IN") and self.nocase(field):
            return _in(x, p, values)
        if field.type == STRING:
            # LIKE: ASCII case-insensitive, the way Intercom matches strings.
            patterns = [_like(operator, value) for value in values]
            if not patterns:
                return "0", []
            like = "(" + " OR ".join(f"{x} LIKE ? ESCAPE '\\'" for _ in patterns) + ")"
            like_params = [item for pattern in patterns for item in (*p, pattern)]
            column = self.trigram_column(field, operator, values)
            if column is None:
                return like, like_params
            # The trigram index finds the rows holding the substring (folding case further than
            # LIKE does); LIKE keeps those that match exactly.
            table, rowid = self.spec.trigram.split()
            candidates = f"{mark}{rowid} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"
            return f"({candidates} AND {like})", [_trigram_query(column, values[0]), *like_params]
        if operator == "IN":
            return _in(x, p, values)
        if field.type == DATE and self.spec.day_granular_dates:
            return self._day(x, p, operator, values[0])
        return f"{x} {operator} ?", [*p, values[0]]

    def _numeric_id(
        self, x: str, p: list[Any], operator: str, values: Sequence[Any]
    ) -> tuple[str, list[Any]]:
        if operator in ("=", "IN"):
            return _in(x, p, values)
        bound = values[0]
        if bound == "":
            # Every id sorts after the empty string: incremental syncs start from `id > ""`.
            return ("1" if operator == ">" else "0"), []
        return f"CAST({x} AS INTEGER) {operator} ?", [*p, int(bound)]

    def _day(self, x: str, p: list[Any], operator: str, timestamp: int) -> tuple[str, list[Any]]:
        start, end = day_bounds(timestamp, self.workspace.timezone)
        if operator == "=":
            return f"{x} >= ? AND {x} < ?", [*p, start, *p, end]
        if operator == ">":
            return f"{x} >= ?", [*p, end]
        return f"{x} < ?", [*p, start]


def _in(x: str, p: list[Any], values: Sequence[Any]) -> tuple[str, list[Any]]:
    if not values:
        return "0", []
    if len(values) == 1:
        return f"{x} = ?", [*p, values[0]]
    return f"{x} IN ({', '.join('?' * len(values))})", [*p, *values]


def _equalities_as_in(members: list[_Node]) -> list[_Node]:
    """An OR's `=`/`IN` filters on one field as one `IN`, which one index lookup serves. Dates are left
    alone: their `=` is a calendar day, not one value."""
    merged: list[_Node] = []
    by_field: dict[Field, int] = {}
    for member in members:
        if (
            isinstance(member, _Filter)
            and member.operator in ("=", "IN")
            and member.field.type != DATE
            and not member.negated
            and member.values != (None,)
        ):
            if member.field in by_field:
                earlier = merged[by_field[member.field]]
                assert isinstance(earlier, _Filter)
                merged[by_field[member.field]] = replace(
                    earlier, operator="IN", values=(*earlier.values, *member.values)
                )
                continue
            by_field[member.field] = len(merged)
        merged.append(member)
    return merged


def _trigram_query(column: str, value: str) -> str:
    """An FTS5 query for the rows whose `column` holds `value` (as the trigram tokenizer folds case)."""
    return f'{column} : "{value.replace(chr(34), chr(34) * 2)}"'


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
    pattern = {"=": escaped, "IN": escaped, "~": f"%{escaped}%", "^": f"{escaped}%", "$": f"%{escaped}"}[
        operator
    ]
    if len(pattern.encode()) > MAX_LIKE_PATTERN_BYTES:
        raise parameter_invalid("The search value is too long")
    return pattern


def _is_text(value: str) -> bool:
    """False for a string holding a lone surrogate (JSON's `"\\ud800"`), which no database can store."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _takes_numeric_ids(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids", ".id"))


def _shown(value: Any) -> str:
    """A value as an error message quotes it: short, and never text that cannot be encoded."""
    if isinstance(value, str):
        return repr(value[:40]) if _is_text(value) else "This text"
    return repr(value) if isinstance(value, (bool, int, float)) else "This value"
