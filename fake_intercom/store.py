"""The SQLite layer: workspaces, tokens, ids, the clock, and the tables resources declare.

One connection for the whole server. Routes are `async def` and never await while they hold a
transaction, so a request's reads and writes are never interleaved with another request's.
"""

import asyncio
import functools
import hashlib
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from typing import IO, Any, TypeVar

import orjson
import sqlite_utils
from sqlite_utils.db import NotFoundError, jsonify_if_needed, quote_identifier

from contracts.versions import DEFAULT_VERSION

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one server per file is then the user's care
    fcntl = None  # type: ignore[assignment]


class DatabaseInUse(Exception):
    """Another process holds the database file: two servers on one file would disagree silently."""


@dataclass(frozen=True)
class TableSpec:
    """A resource's table: always scoped by `workspace_id`, usually keyed by `(workspace_id, id)`."""

    name: str
    columns: Mapping[str, type]
    pk: tuple[str, ...] = ("workspace_id", "id")
    indexes: tuple[tuple[str, ...], ...] = ()
    unique_indexes: tuple[tuple[str, ...], ...] = ()
    # Content is what a workspace holds (contacts, conversations, ids...): what reset empties and a
    # snapshot captures. Tokens and the harness's own bookkeeping are not content.
    content: bool = True

    @property
    def scoped(self) -> bool:
        return "workspace_id" in self.columns


TABLES: dict[str, TableSpec] = {}


@dataclass(frozen=True)
class IndexSpec:
    """An index `table(...)` cannot express: its terms are SQL, e.g. `email COLLATE NOCASE`."""

    name: str
    table: str
    terms: tuple[str, ...]


INDEXES: dict[str, IndexSpec] = {}


@dataclass(frozen=True)
class DerivedSpec:
    """Tables that triggers keep in step with content tables (a search table, its counts, its text index).

    Not content: reset, snapshots and restore change the content tables and the triggers follow. Built
    from the content tables, in one pass, whenever the definitions change (a database file of an
    earlier release): `schema` creates the tables, indexes and triggers, `fill` fills them.
    """

    name: str
    schema: tuple[str, ...]
    fill: tuple[str, ...] = ()
    scoped: tuple[str, ...] = ()
    """Its tables with rows of their own per workspace (not kept by triggers): deleted with the workspace."""
    stats: tuple[tuple[str, str, str], ...] = ()
    """`sqlite_stat1` rows (table, index, stat) telling the query planner the shape of its data, which
    ANALYZE cannot see in tables that start empty: above all, that a workspace is many rows, not ten."""


DERIVED: dict[str, DerivedSpec] = {}


def table(
    name: str,
    columns: Mapping[str, type],
    *,
    pk: tuple[str, ...] = ("workspace_id", "id"),
    indexes: tuple[tuple[str, ...], ...] = (),
    unique_indexes: tuple[tuple[str, ...], ...] = (),
    scoped: bool = True,
    content: bool = True,
) -> TableSpec:
    """Declare a table; resource modules call this at import time."""
    all_columns = {"workspace_id": str, **columns} if scoped else dict(columns)
    spec = TableSpec(name, all_columns, pk, indexes, unique_indexes, content)
    TABLES[name] = spec
    return spec


def derived(
    name: str,
    schema: tuple[str, ...],
    fill: tuple[str, ...] = (),
    scoped: tuple[str, ...] = (),
    stats: tuple[tuple[str, str, str], ...] = (),
) -> DerivedSpec:
    """Declare trigger-maintained tables; modules call this at import time, after the tables they
    follow."""
    spec = DerivedSpec(name, schema, fill, scoped, stats)
    DERIVED[name] = spec
    return spec


def counted(table_name: str) -> DerivedSpec:
    """Keep how many rows each workspace has in `table_name` (read with `Store.rows_counted`): the
    `total_count` of a plain list without counting its rows. Declare after the table."""
    counts = f"{table_name}_counts"
    return derived(
        counts,
        scoped=(counts,),
        schema=(
            f"CREATE TABLE [{counts}] (workspace_id TEXT PRIMARY KEY, counted INTEGER NOT NULL) WITHOUT ROWID",
            f"CREATE TRIGGER [{counts}_insert] AFTER INSERT ON [{table_name}] BEGIN "
            f"INSERT INTO [{counts}] (workspace_id, counted) VALUES (NEW.workspace_id, 1) "
            "ON CONFLICT (workspace_id) DO UPDATE SET counted = counted + 1; END",
            f"CREATE TRIGGER [{counts}_delete] AFTER DELETE ON [{table_name}] BEGIN "
            f"UPDATE [{counts}] SET counted = counted - 1 WHERE workspace_id = OLD.workspace_id; END",
        ),
        fill=(
            f"INSERT INTO [{counts}] (workspace_id, counted) "
            f"SELECT workspace_id, COUNT(*) FROM [{table_name}] WHERE true GROUP BY workspace_id "
            # Derived rows filled before this have been counted by the triggers already.
            "ON CONFLICT (workspace_id) DO UPDATE SET counted = excluded.counted",
        ),
    )


def index(name: str, table_name: str, *terms: str) -> IndexSpec:
    """Declare an index over SQL terms (`"workspace_id", "email COLLATE NOCASE"`); modules call this at
    import time, after declaring or importing the table."""
    spec = IndexSpec(name, table_name, terms)
    INDEXES[name] = spec
    return spec


WORKSPACES = table(
    "workspaces",
    {
        "id": str,
        "name": str,
        "default_version": str,
        "region": str,
        "timezone": str,
        "created_at": int,
        "owner_admin_id": str,
        "clock_frozen_at": int,
        "clock_offset": int,
        "oauth_client_id": str,
        "oauth_client_secret": str,
        "oauth_redirect_uris": str,
        "seed": str,
        "plan": str,
    },
    pk=("id",),
    scoped=False,
)
TOKENS = table("tokens", {"token": str, "kind": str, "created_at": int}, pk=("token",), content=False)
# Tokens that were revoked (or whose workspace was deleted), so that using one again is `token_revoked`
# rather than an unknown token's `unauthorized`. Only a hash is kept: the token itself is gone.
REVOKED_TOKENS = table(
    "revoked_tokens", {"token_hash": str, "revoked_at": int}, pk=("token_hash",), scoped=False, content=False
)
SNAPSHOTS = table(
    "sandbox_snapshots",
    # `mark`: the undo log's position when it was taken (see "reset, snapshot, restore" below); None for
    # a full copy in the `_snapshot_*` tables, which database files of earlier releases hold.
    {"name": str, "created_at": int, "workspace": str, "mark": int},
    pk=("workspace_id", "name"),
    content=False,
)
# Workspace settings a snapshot keeps (the clock is not one: restoring data does not move time).
SNAPSHOT_FIELDS = ("name", "default_version", "region", "timezone", "owner_admin_id", "seed")
# Id sequences are not content: restore and reset never hand out again an id given out before, which a
# test may still hold (a deleted contact's id must stay unknown after a restore).
COUNTERS = table("counters", {"name": str, "value": int}, pk=("workspace_id", "name"), content=False)

# The undo log: every change to a content table, in order (`seq` is never handed out twice, so a
# snapshot's mark keeps its place whatever is undone). `_undo_paused` holds a row while a change must
# not be logged: a restore undoing entries it then drops, a workspace being deleted.
UNDO_TABLES = (
    "CREATE TABLE IF NOT EXISTS _undo (seq INTEGER PRIMARY KEY AUTOINCREMENT, workspace_id TEXT NOT NULL, "
    "tbl TEXT NOT NULL, op TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT)",
    "CREATE INDEX IF NOT EXISTS _undo_workspace ON _undo (workspace_id, seq)",
    # Which rows of which table changed since a mark, read from index entries alone: the log's rows carry
    # whole images, and reading them to plan a restore once took longer than any step of it.
    "CREATE INDEX IF NOT EXISTS _undo_rows ON _undo (workspace_id, tbl, seq, rid)",
    "CREATE TABLE IF NOT EXISTS _undo_paused (reason TEXT)",
    # A workspace whose content is being replaced in steps (each its own transaction), and where the log
    # stood before: a server stopped midway rolls it back to there when it next opens the file.
    "CREATE TABLE IF NOT EXISTS _undo_pending (workspace_id TEXT PRIMARY KEY, start INTEGER NOT NULL)",
    # Workspaces deleted whose rows are still being deleted, a step at a time (see `delete_workspace`).
    "CREATE TABLE IF NOT EXISTS _deleted (workspace_id TEXT PRIMARY KEY)",
)
# The undo log's triggers are named after it, the derived tables' are not.
UNDO_TRIGGER_PREFIX = "_undo_"
UNDO_SPAN = "workspace_id = ? AND tbl = ? AND seq > ? AND seq <= ?"
# A restore's plan: the tables changed in a span, and each changed row's first entry in it.
UNDO_TABLES_CHANGED = "SELECT DISTINCT tbl FROM _undo WHERE workspace_id = ? AND seq > ? AND seq <= ?"
UNDO_FIRSTS = f"SELECT rid, MIN(seq) FROM _undo WHERE {UNDO_SPAN} GROUP BY rid"
# Undo entries purged at a time.
UNDO_CHUNK = 1000
# Rows a step of a long reset or restore changes: each step is a transaction of a few milliseconds,
# between which other requests are served.
STEP_ROWS = 50
# How often a request to a workspace being replaced in steps looks whether the last step is done (s).
STEP_WAIT = 0.005
# A restore of this many changes or fewer (a test's worth) is one transaction, of tens of milliseconds
# at most: in steps it would cost more.
STEPS_ABOVE = 500


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    default_version: str = DEFAULT_VERSION
    region: str = "US"
    timezone: str = "UTC"
    created_at: int = 0
    owner_admin_id: str | None = None
    clock_frozen_at: int | None = None
    clock_offset: int = 0
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = None
    # Redirect URIs registered for the OAuth app, the first the default; none registered: any is taken.
    oauth_redirect_uris: tuple[str, ...] = ()
    seed: str = "none"
    plan: str | None = None
    """The plan it is on (fake_intercom.plans); None is the default, `active`."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


# Numeric ids start from bases that look like Intercom's, so they are recognisable in logs.
ID_BASES = {
    "admin": 991_267_400,
    "team": 814_865,
    "tag": 7_522_900,
    "note": 34_478_000,
    "data_attribute": 15_000,
    "subscription_type": 37_846,
    "activity_log": 1_000,
}


@functools.lru_cache(maxsize=4096)
def _row_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sqlite_utils.utils.dedupe_keys(names))


@functools.lru_cache(maxsize=1024)
def _insert_sql(table_name: str, columns: tuple[str, ...], replace_existing: bool) -> str:
    verb = "INSERT OR REPLACE" if replace_existing else "INSERT"
    names = ", ".join(quote_identifier(column) for column in columns)
    return f"{verb} INTO [{table_name}] ({names}) VALUES ({', '.join('?' * len(columns))})"


@functools.lru_cache(maxsize=1024)
def _update_sql(table_name: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{quote_identifier(column)} = ?" for column in columns)
    return f"UPDATE [{table_name}] SET {sets} WHERE [workspace_id] = ? AND [id] = ?"


def dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


def loads(text: str | bytes | None) -> Any:
    return orjson.loads(text) if text else None


Result = TypeVar("Result")

# Searches whose counts are remembered (see `Store.count`).
COUNTS_KEPT = 256

WORKSPACE_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_workspace_id() -> str:
    """A short alphanumeric workspace id, like Intercom's `app.id_code`; random, so that no page or
    process can guess another workspace's id."""
    return "".join(secrets.choice(WORKSPACE_ID_ALPHABET) for _ in range(8))


def _lock(path: str) -> IO[bytes] | None:
    """An exclusive lock on the database file for as long as the returned file stays open.

    An advisory `flock` on the file itself, which SQLite's own (byte-range) locks do not see: other
    readers (the sqlite3 shell, a backup) still work; a second server or an offline reset is refused.
    """
    if fcntl is None:
        return None
    handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_CREAT, 0o644), "rb")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DatabaseInUse(
            f"{path} is in use by another fake-intercom process: stop it, or give this one its own --db"
        ) from None
    return handle


# A new database's schema, made once per process and per set of declarations: a new database (every
# in-process app's, a new file) is a copy of it, which SQLite's backup makes in a millisecond where
# creating each table, index, trigger and text index took tens. Keyed by the declarations themselves.
_schema_template: tuple[str, sqlite3.Connection] | None = None


def _declarations() -> str:
    return repr((TABLES, INDEXES, DERIVED))


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        global _schema_template
        self._lock_file = _lock(path) if path != ":memory:" else None
        self.path = path
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        new = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None
        declarations = _declarations() if new else ""
        template = (
            _schema_template[1] if new and _schema_template and _schema_template[0] == declarations else None
        )
        if template is not None:
            template.backup(conn)
        # sqlite-utils plugins add SQL functions the store never calls; finding them reads the entry points
        # of every installed package, at each start-up.
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        if path != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        # A row that INSERT OR REPLACE replaces is deleted as far as the derived tables' triggers see.
        self.db.execute("PRAGMA recursive_triggers=ON")
        self._workspace_cache: dict[str, Workspace] = {}
        self._token_cache: dict[str, str] = {}
        self._shadows: set[str] = set()
        # Workspaces whose oldest snapshot may have moved on: their undo entries before it are dead.
        self._undo_to_purge: set[str] = set()
        # Workspaces whose content is being replaced in steps: their requests wait for the last one.
        self.in_steps: set[str] = set()
        self._tidying: set[asyncio.Task[None]] = set()
        self._column_lists: dict[str, tuple[str, ...]] = {}
        # Bumped whenever a workspace's content is replaced wholesale (cleared, restored, deleted), so
        # that what is cached from it elsewhere (the gateway's IP allowlists) knows to read it again.
        self.generation = 0
        # Counts of searches, kept until the next write (of any workspace): (changes, generation, count).
        self._counts: dict[tuple[str, tuple[Any, ...]], tuple[int, int, int]] = {}
        if template is not None:
            self._declared = set(TABLES)
        else:
            self.create_tables()
            if new:
                copy = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                conn.backup(copy)
                _schema_template = (declarations, copy)

    # -- schema -----------------------------------------------------------------------------

    def create_tables(self) -> None:
        self._declared = set(TABLES)
        existing_tables = set(self.db.table_names())  # asked once: `Table.exists` lists them every time
        for spec in TABLES.values():
            tbl = self.db.table(spec.name)
            if spec.name not in existing_tables:
                tbl.create(dict(spec.columns), pk=spec.pk if len(spec.pk) > 1 else spec.pk[0])
            else:  # a database file from an earlier release: columns added since are added to it
                existing = tbl.columns_dict
                for column, kind in spec.columns.items():
                    if column not in existing:
                        tbl.add_column(column, kind)
            for columns in spec.indexes:
                tbl.create_index(list(columns), if_not_exists=True)
            for columns in spec.unique_indexes:
                tbl.create_index(list(columns), unique=True, if_not_exists=True)
        for extra in INDEXES.values():
            if extra.table in TABLES:
                self.execute(
                    f"CREATE INDEX IF NOT EXISTS [{extra.name}] ON [{extra.table}] ({', '.join(extra.terms)})"
                )
        for statement in UNDO_TABLES:
            self.execute(statement)
        self.build_derived()
        for pending in self.query("SELECT workspace_id, start FROM _undo_pending"):
            with self.atomic():
                self._roll_back(pending["workspace_id"], pending["start"])

    def build_derived(self) -> None:
        """Create the derived tables and fill them from the content, unless this database already has
        them as declared."""
        digest = hashlib.sha256()
        specs = [*DERIVED.values(), self._undo_triggers()]
        for spec in specs:
            for statement in (*spec.schema, "--", *spec.fill, "--", *map(repr, spec.stats), "--"):
                digest.update(statement.encode())
        version = digest.hexdigest()
        self.execute("CREATE TABLE IF NOT EXISTS _derived (version TEXT NOT NULL, objects TEXT NOT NULL)")
        built = self.one("SELECT version FROM _derived")
        if built is not None and built["version"] == version:
            return
        with self.atomic():
            self.drop_derived()
            self.execute("DELETE FROM _derived")
            before = self._schema_objects()
            for spec in specs:
                for statement in spec.schema:
                    self.execute(statement)
            created = sorted(self._schema_objects() - before)
            for spec in specs:
                for statement in spec.fill:
                    self.execute(statement)
            stats = [row for spec in specs for row in spec.stats]
            if stats:
                self.execute("ANALYZE _derived")  # creates sqlite_stat1 where there is none
                for table_name, index_name, stat in stats:
                    self.execute(
                        "DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx = ?", (table_name, index_name)
                    )
                    self.execute(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                        (table_name, index_name, stat),
                    )
                self.execute("ANALYZE sqlite_schema")  # the planner reads them again
            self.execute("INSERT INTO _derived (version, objects) VALUES (?, ?)", (version, dumps(created)))

    def drop_derived(self, *, kinds: tuple[str, ...] = ("trigger", "virtual", "table")) -> None:
        """Drop the derived objects of these kinds; those left are out of date until `build_derived`
        builds them all again from the content, in one pass. A bulk load drops the triggers alone: its
        writes are then not followed row by row, and what it reads of the tables meanwhile is there."""
        built = self.one("SELECT objects FROM _derived")
        objects = loads(built["objects"]) if built else []
        # Triggers first, then virtual tables (which drop their own shadow tables), then the rest.
        order = {"trigger": 0, "virtual": 1, "table": 2}
        with self.atomic():
            for kind, name in sorted(objects, key=lambda item: order.get(item[0], 3)):
                if kind in kinds:
                    self.execute(f"DROP {'TABLE' if kind == 'virtual' else kind.upper()} IF EXISTS [{name}]")
            self.execute("UPDATE _derived SET version = ''")

    @contextmanager
    def populating(self, workspace_id: str) -> Iterator[None]:
        """Write a new workspace's first content (its seed) with nothing following it row by row.

        Kept row by row, a demo seed's 2,000 rows cost twice their own writes: each contact written (and
        rewritten, as tags, companies and notes touch it) rewrote its search copy, trigram entries and
        counts, and every change went to the undo log. In the block the derived tables' triggers are
        dropped (in the transaction: no one else sees them missing), and at its end the workspace's
        derived rows are filled from its content in one pass, by the `fill` of every `derived(...)`, as
        `build_derived` fills a whole database, with the triggers back (`_fill_workspace`). Nothing goes
        to the undo log: it serves snapshots, and the workspace has none yet. The workspace must have no
        content: its derived rows are made, not mended.
        """
        with self.atomic():
            if self._has_content(workspace_id):
                raise ValueError(f"workspace {workspace_id} has content already: its derived rows exist")
            built = self.one("SELECT objects FROM _derived")
            names = [
                name
                for kind, name in (loads(built["objects"]) if built else [])
                if kind == "trigger" and not name.startswith(UNDO_TRIGGER_PREFIX)
            ]
            triggers = self.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                "(SELECT value FROM json_each(?))",
                (dumps(names),),
            ).fetchall()
            for name, _ in triggers:
                self.execute(f"DROP TRIGGER [{name}]")
            with self._unlogged():
                yield
            for _, sql in triggers:
                self.execute(sql)
            self._fill_workspace(workspace_id)

    def _has_content(self, workspace_id: str) -> bool:
        return any(
            self.one(f"SELECT 1 FROM [{spec.name}] WHERE workspace_id = ? LIMIT 1", (workspace_id,))
            for spec in self.content_tables()
        )

    def _fill_workspace(self, workspace_id: str) -> None:
        """Run every derived table's `fill` for one workspace: each statement as written, with the tables
        it reads (and does not write) standing for this workspace's rows alone, as copies in the
        connection's TEMP schema, which unqualified names find before the database's own tables."""
        for spec in DERIVED.values():
            for statement in spec.fill:
                reads, writes = self._tables_used(statement)
                scoped = [
                    name for name in sorted(reads - writes) if "workspace_id" in self._column_names(name)
                ]
                for name in scoped:
                    # A column named rowid stands for the rowid: the copy's rows keep the originals'.
                    rowid = "rowid AS rowid, " if self._has_rowid(name) else ""
                    self.execute(
                        f"CREATE TEMP TABLE [{name}] AS SELECT {rowid}* FROM main.[{name}] WHERE workspace_id = ?",
                        (workspace_id,),
                    )
                try:
                    self.execute(statement)
                finally:
                    for name in scoped:
                        self.execute(f"DROP TABLE temp.[{name}]")

    def _tables_used(self, statement: str) -> tuple[set[str], set[str]]:
        """The tables a statement reads and those it writes (not counting what its triggers do), as
        SQLite's authorizer sees them while preparing it."""
        reads: set[str] = set()
        writes: set[str] = set()

        def note(
            action: int, table: str | None, _column: str | None, database: str | None, inner: str | None
        ) -> int:
            if inner is None and database == "main" and table is not None:
                if action == sqlite3.SQLITE_READ:
                    reads.add(table)
                elif action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE):
                    writes.add(table)
            return sqlite3.SQLITE_OK

        self.db.conn.set_authorizer(note)
        try:
            self.db.conn.execute(f"EXPLAIN {statement}")
        finally:
            self.db.conn.set_authorizer(None)
        return reads, writes

    def _has_rowid(self, table_name: str) -> bool:
        try:
            self.db.conn.execute(f"SELECT rowid FROM main.[{table_name}] LIMIT 0")
        except sqlite3.OperationalError:  # WITHOUT ROWID
            return False
        return True

    def _undo_triggers(self) -> DerivedSpec:
        """The triggers that write every change of a content table to the undo log: a row inserted is
        remembered by its rowid, a row updated or deleted by its whole prior image. Built from the
        tables' actual columns, so a column added later is covered once the triggers are rebuilt."""
        statements = []
        for spec in self.content_tables():
            columns = self.db.table(spec.name).columns_dict
            image = ", ".join(f"'{column}', OLD.[{column}]" for column in columns)
            for op, event, row, old in (
                ("i", "INSERT", "NEW", "NULL"),
                ("u", "UPDATE", "OLD", f"json_object({image})"),
                ("d", "DELETE", "OLD", f"json_object({image})"),
            ):
                statements.append(
                    f"CREATE TRIGGER [{UNDO_TRIGGER_PREFIX}{spec.name}_{op}] AFTER {event} ON [{spec.name}] "
                    "WHEN NOT EXISTS (SELECT 1 FROM _undo_paused) BEGIN "
                    "INSERT INTO _undo (workspace_id, tbl, op, rid, old) "
                    f"VALUES ({row}.workspace_id, '{spec.name}', '{op}', {row}.rowid, {old}); END"
                )
        return DerivedSpec("undo log", tuple(statements))

    def _schema_objects(self) -> set[tuple[str, str]]:
        return {
            ("virtual" if (sql or "").upper().startswith("CREATE VIRTUAL") else kind, name)
            for kind, name, sql in self.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type != 'index'"
            )
        }

    def close(self) -> None:
        """Close the database and let another process have the file."""
        self.db.close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    @contextmanager
    def atomic(self) -> Iterator[None]:
        try:
            with self.db.atomic():
                yield
        except BaseException:
            # What was cached from the rolled-back writes (a workspace, a token) is gone with them.
            self._workspace_cache.clear()
            self._token_cache.clear()
            self.generation += 1
            raise

    @property
    def in_transaction(self) -> bool:
        return self.db.conn.in_transaction

    # -- rows -------------------------------------------------------------------------------

    # Reads go straight to the connection: sqlite-utils' `query` wraps each statement in a SAVEPOINT and
    # its RELEASE (three statements, and a commit outside a transaction) to guard against writes, which
    # tripled the cost of the reads every request makes. Column names are deduplicated as it does.

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self._rows(sql, params)
        keys = _row_keys(tuple(column[0] for column in cursor.description))
        return [dict(zip(keys, row, strict=True)) for row in cursor]

    def one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cursor = self._rows(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip(_row_keys(tuple(column[0] for column in cursor.description)), row, strict=True))

    def _rows(self, sql: str, params: Any) -> sqlite3.Cursor:
        cursor = self.db.conn.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows - use execute()")
        return cursor

    def rows_counted(self, table_name: str, workspace_id: str) -> int:
        """The workspace's rows in a table declared `counted`."""
        return int(
            self.scalar(f"SELECT counted FROM [{table_name}_counts] WHERE workspace_id = ?", (workspace_id,))
            or 0
        )

    def count(self, sql: str, params: Any = ()) -> int:
        """`SELECT COUNT(*) ...`, remembered until the next write: a search walked page by page counts its
        matches once."""
        key = (sql, tuple(params))
        changes = self.db.conn.total_changes
        known = self._counts.get(key)
        if known is not None and known[:2] == (changes, self.generation):
            return known[2]
        total = int(self.scalar(sql, params) or 0)
        if len(self._counts) >= COUNTS_KEPT:
            del self._counts[next(iter(self._counts))]
        self._counts[key] = (changes, self.generation, total)
        return total

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    # Writes to the declared tables are single statements: sqlite-utils' `insert` and `update` inspect
    # the schema first and wrap themselves in a savepoint (six and ten statements), which made every
    # write request slow. Values are converted as sqlite-utils converts them; a missing row is still
    # its NotFoundError. Tables this store did not create go through sqlite-utils (which creates them).

    def insert(self, table_name: str, row: Mapping[str, Any], *, replace_existing: bool = False) -> None:
        if table_name not in self._declared or not row:
            self.db.table(table_name).insert(dict(row), replace=replace_existing)
            return
        self.db.conn.execute(
            _insert_sql(table_name, tuple(row), replace_existing),
            [jsonify_if_needed(value) for value in row.values()],
        )

    def update(self, table_name: str, workspace_id: str, id: str, values: Mapping[str, Any]) -> None:
        if table_name not in self._declared or not values or TABLES[table_name].pk != ("workspace_id", "id"):
            self.db.table(table_name).update((workspace_id, id), dict(values))
            return
        updated = self.db.conn.execute(
            _update_sql(table_name, tuple(values)),
            [*(jsonify_if_needed(value) for value in values.values()), workspace_id, id],
        )
        if updated.rowcount == 0:
            raise NotFoundError

    def delete(self, table_name: str, workspace_id: str, id: str) -> None:
        self.execute(f"DELETE FROM [{table_name}] WHERE workspace_id = ? AND id = ?", (workspace_id, id))

    def row(self, table_name: str, workspace_id: str, id: str, columns: str = "*") -> dict[str, Any] | None:
        return self.one(
            f"SELECT {columns} FROM [{table_name}] WHERE workspace_id = ? AND id = ?", (workspace_id, str(id))
        )

    def data(self, table_name: str, workspace_id: str, id: str) -> dict[str, Any] | None:
        """The stored object of a row, parsed."""
        text = self.scalar(
            f"SELECT data FROM [{table_name}] WHERE workspace_id = ? AND id = ?", (workspace_id, str(id))
        )
        return loads(text)

    # -- ids --------------------------------------------------------------------------------

    def next_number(self, workspace_id: str, name: str) -> int:
        self.execute(
            "INSERT INTO counters (workspace_id, name, value) VALUES (?, ?, 1) "
            "ON CONFLICT(workspace_id, name) DO UPDATE SET value = value + 1",
            (workspace_id, name),
        )
        return int(
            self.scalar(
                "SELECT value FROM counters WHERE workspace_id = ? AND name = ?", (workspace_id, name)
            )
        )

    def numeric_id(self, workspace_id: str, kind: str, base: int | None = None) -> str:
        """Numeric-string ids (admins, tags, notes, ...), deterministic per workspace. `base` makes
        the first ids look like Intercom's for that kind (see ID_BASES)."""
        start = base if base is not None else ID_BASES.get(kind, 1_000)
        return str(start + self.next_number(workspace_id, kind))

    def hex_id(self, workspace_id: str, kind: str, created_at: int) -> str:
        """24-hex ids (contacts, companies, segments, visitors) laid out as Intercom's ObjectIds: 4 bytes of
        time, 5 bytes fixed for the workspace and kind, a 3-byte counter. Ids made in one second
        therefore still sort in creation order, as Intercom's do."""
        number = self.next_number(workspace_id, kind)
        fixed = hashlib.blake2b(f"{workspace_id}:{kind}".encode(), digest_size=5).hexdigest()
        return f"{created_at & 0xFFFFFFFF:08x}{fixed}{number & 0xFFFFFF:06x}"

    # -- workspaces -------------------------------------------------------------------------

    def create_workspace(
        self,
        *,
        name: str,
        token: str,
        default_version: str = DEFAULT_VERSION,
        oauth_client_id: str | None = None,
        oauth_client_secret: str | None = None,
        oauth_redirect_uris: tuple[str, ...] = (),
        workspace_id: str | None = None,
        token_kind: str = "access_token",
    ) -> Workspace:
        if workspace_id is not None and self.scalar(
            "SELECT 1 FROM _deleted WHERE workspace_id = ?", (workspace_id,)
        ):
            run_steps(self.sweep_steps())  # an id given again: what was deleted under it goes first
        created_at = int(time.time())
        workspace = Workspace(
            id=workspace_id or new_workspace_id(),
            name=name,
            default_version=default_version,
            created_at=created_at,
            oauth_client_id=oauth_client_id,
            oauth_client_secret=oauth_client_secret,
            oauth_redirect_uris=tuple(oauth_redirect_uris),
        )
        with self.atomic():
            self.insert("workspaces", self._workspace_row(workspace))
            self.add_token(workspace.id, token, kind=token_kind)
        return workspace

    def add_token(self, workspace_id: str, token: str, kind: str = "access_token") -> None:
        with self.atomic():
            self.insert(
                "tokens",
                {"token": token, "workspace_id": workspace_id, "kind": kind, "created_at": int(time.time())},
                replace_existing=True,
            )
            self.execute("DELETE FROM revoked_tokens WHERE token_hash = ?", (token_hash(token),))
        self._token_cache.pop(token, None)

    def revoke_token(self, token: str) -> None:
        with self.atomic():
            self.execute("DELETE FROM tokens WHERE token = ?", (token,))
            self.insert(
                "revoked_tokens",
                {"token_hash": token_hash(token), "revoked_at": int(time.time())},
                replace_existing=True,
            )
        self._token_cache.pop(token, None)

    def is_revoked(self, token: str) -> bool:
        """Whether `token` was revoked; asked only of tokens no workspace holds."""
        found = self.scalar("SELECT 1 FROM revoked_tokens WHERE token_hash = ?", (token_hash(token),))
        return found is not None

    def workspace_for_token(self, token: str) -> Workspace | None:
        workspace_id = self._token_cache.get(token)
        if workspace_id is None:
            workspace_id = self.scalar("SELECT workspace_id FROM tokens WHERE token = ?", (token,))
            if workspace_id is None:
                return None
            self._token_cache[token] = workspace_id
        return self.workspace(workspace_id)

    def workspace(self, workspace_id: str) -> Workspace | None:
        cached = self._workspace_cache.get(workspace_id)
        if cached is not None:
            return cached
        row = self.row_by_pk("workspaces", workspace_id)
        if row is None:
            return None
        workspace = Workspace(
            **{**row, "oauth_redirect_uris": tuple(loads(row["oauth_redirect_uris"]) or ())}
        )
        self._workspace_cache[workspace_id] = workspace
        return workspace

    def row_by_pk(self, table_name: str, key: str) -> dict[str, Any] | None:
        pk = TABLES[table_name].pk[0]
        return self.one(f"SELECT * FROM [{table_name}] WHERE [{pk}] = ?", (key,))

    def update_workspace(self, workspace: Workspace, **changes: Any) -> Workspace:
        if "oauth_redirect_uris" in changes:
            changes["oauth_redirect_uris"] = tuple(changes["oauth_redirect_uris"])
        updated = replace(workspace, **changes)
        self.db.table("workspaces").update(workspace.id, self._workspace_row(updated, changes))
        self._workspace_cache[workspace.id] = updated
        return updated

    def workspaces(self) -> list[Workspace]:
        return [
            ws
            for row in self.query("SELECT id FROM workspaces ORDER BY created_at")
            if (ws := self.workspace(row["id"])) is not None
        ]

    def _workspace_row(
        self, workspace: Workspace, keys: Iterable[str] = WORKSPACES.columns
    ) -> dict[str, Any]:
        row = {key: getattr(workspace, key) for key in keys}
        if "oauth_redirect_uris" in row:
            row["oauth_redirect_uris"] = dumps(list(row["oauth_redirect_uris"]))
        return row

    # -- clock ------------------------------------------------------------------------------

    def now(self, workspace: Workspace) -> int:
        """The workspace clock: every timestamp the fake writes comes from here."""
        if workspace.clock_frozen_at is not None:
            return workspace.clock_frozen_at
        return int(time.time()) + (workspace.clock_offset or 0)

    def set_clock(self, workspace: Workspace, *, frozen_at: int | None, offset: int) -> Workspace:
        return self.update_workspace(workspace, clock_frozen_at=frozen_at, clock_offset=offset)

    # -- reset, snapshot, restore -----------------------------------------------------------
    #
    # Generic over TABLES, so every resource's table is covered the moment it is declared. Triggers
    # write every change to a content table to the undo log, in the transaction that makes it. A
    # snapshot is a mark in that log, nothing is copied; restoring it undoes the workspace's changes
    # logged since, newest first, so it costs what changed since the snapshot, not what the workspace
    # holds. Snapshots taken after the one restored stay valid: when changes lie between them the
    # undoing is logged in turn (restoring a later one undoes it too); when none do, the entries undone
    # are dropped. Entries before a workspace's oldest snapshot serve no restore: `purge_undo` deletes
    # them afterwards, a chunk per short transaction.

    def content_tables(self) -> list[TableSpec]:
        return [spec for spec in TABLES.values() if spec.scoped and spec.content]

    def clear_workspace(self, workspace_id: str) -> None:
        """Delete every content row of the workspace; its tokens and the workspace itself stay."""
        with self.atomic():
            run_steps(self.clear_steps(workspace_id))

    def clear_steps(self, workspace_id: str) -> Generator[None, None, None]:
        """`clear_workspace` a step at a time: it yields between steps, each its own transaction unless
        the caller holds one. Until the caller's last step is done (inside the `replacing` block), a
        stop midway is rolled back."""
        for spec in self.content_tables():
            while self._delete_some(spec.name, "workspace_id = ?", (workspace_id,), STEP_ROWS):
                yield
        self.generation += 1

    @contextmanager
    def replacing(self, workspace_id: str) -> Iterator[Callable[[], None]]:
        """A block replacing the workspace's content in steps. Remembered, so that a server stopped
        midway rolls it back when it next opens the file, and rolled back now if the block fails; it
        gives the function that marks it done, to call in the transaction of its last step."""
        with self.atomic():
            self.execute(
                "INSERT OR REPLACE INTO _undo_pending (workspace_id, start) VALUES (?, ?)",
                (workspace_id, self._undo_position()),
            )
        outer = self.in_transaction

        def finished() -> None:
            self.execute("DELETE FROM _undo_pending WHERE workspace_id = ?", (workspace_id,))

        self.in_steps.add(workspace_id)
        try:
            yield finished
        except BaseException:
            if not outer:  # else the caller's transaction rolls it all back
                with self.atomic():
                    start = self.scalar(
                        "SELECT start FROM _undo_pending WHERE workspace_id = ?", (workspace_id,)
                    )
                    if start is not None:
                        self._roll_back(workspace_id, start)
            raise
        finally:
            self.in_steps.discard(workspace_id)

    async def settled(self, workspace_id: str) -> None:
        """Return once no reset or restore is replacing the workspace's content in steps, so that what
        comes next reads or writes the result and never half of it."""
        while workspace_id in self.in_steps:
            await asyncio.sleep(STEP_WAIT)

    def _roll_back(self, workspace_id: str, start: int) -> None:
        self._undo_since(workspace_id, start)
        self.execute("DELETE FROM _undo_pending WHERE workspace_id = ?", (workspace_id,))
        self.generation += 1

    def delete_workspace(self, workspace_id: str, *, revoke_tokens: bool = False) -> None:
        """The workspace and its tokens, at once; with `revoke_tokens`, its tokens are remembered as
        revoked. Its content, snapshots and undo entries, which nothing can reach any more, are left to
        `sweep_steps`: deleting a large workspace's rows in one transaction would stop every other
        request for as long."""
        with self.atomic():
            if revoke_tokens:
                for row in self.query("SELECT token FROM tokens WHERE workspace_id = ?", (workspace_id,)):
                    self.revoke_token(row["token"])
            self.execute("DELETE FROM tokens WHERE workspace_id = ?", (workspace_id,))
            self.execute("DELETE FROM workspaces WHERE id = ?", (workspace_id,))
            # A reset or restore it was midway through is not rolled back into it after a stop.
            self.execute("DELETE FROM _undo_pending WHERE workspace_id = ?", (workspace_id,))
            self.execute("INSERT OR IGNORE INTO _deleted (workspace_id) VALUES (?)", (workspace_id,))
        self.generation += 1
        self._workspace_cache.pop(workspace_id, None)
        self._token_cache = {token: ws for token, ws in self._token_cache.items() if ws != workspace_id}

    def sweep_steps(self) -> Generator[None, None, None]:
        """Delete the rows of deleted workspaces, `STEP_ROWS` at a time, each step a transaction of its
        own unless the caller holds one; stopped midway, the next sweep goes on where it was."""
        while (workspace_id := self.scalar("SELECT workspace_id FROM _deleted LIMIT 1")) is not None:
            tables = [spec.name for spec in TABLES.values() if spec.scoped] + self._snapshot_tables()
            for name in tables:
                while self._sweep(name, workspace_id, STEP_ROWS):
                    yield
            while self._sweep("_undo", workspace_id, UNDO_CHUNK):
                yield
            with self.atomic():
                for derived_spec in DERIVED.values():
                    for name in derived_spec.scoped:
                        self.execute(f"DELETE FROM [{name}] WHERE workspace_id = ?", (workspace_id,))
                self.execute("DELETE FROM _deleted WHERE workspace_id = ?", (workspace_id,))
            yield

    def _sweep(self, table_name: str, workspace_id: str, limit: int) -> int:
        with self.atomic(), self._unlogged():
            return self._delete_some(table_name, "workspace_id = ?", (workspace_id,), limit)

    def _delete_some(self, table_name: str, where: str, params: tuple[Any, ...], limit: int) -> int:
        """Delete at most `limit` of the table's rows that match `where`: a step's worth of a deletion
        too long for one transaction. The number deleted, 0 once none are left."""
        return int(
            self.execute(
                f"DELETE FROM [{table_name}] WHERE rowid IN "
                f"(SELECT rowid FROM [{table_name}] WHERE {where} LIMIT ?)",
                (*params, limit),
            ).rowcount
        )

    def snapshot_workspace(self, workspace: Workspace, name: str) -> None:
        """Remember the workspace's content as `name` (replacing an earlier snapshot of that name)."""
        settings = {key: getattr(workspace, key) for key in SNAPSHOT_FIELDS}
        with self.atomic():
            self._drop_copy(workspace.id, name)
            self.insert(
                "sandbox_snapshots",
                {
                    "workspace_id": workspace.id,
                    "name": name,
                    "created_at": int(time.time()),
                    "workspace": dumps(settings),
                    "mark": self._undo_position(),
                },
                replace_existing=True,
            )
        self._undo_to_purge.add(workspace.id)

    def restore_workspace(self, workspace: Workspace, name: str) -> Workspace | None:
        """Bring back the workspace's content as it was at snapshot `name`; None when there is no such
        snapshot."""
        with self.atomic():
            return run_steps(self.restore_steps(workspace, name))

    def restore_steps(self, workspace: Workspace, name: str) -> Generator[None, None, Workspace | None]:
        """`restore_workspace`, in steps when many rows changed since the snapshot (see `clear_steps`)."""
        meta = self.one(
            "SELECT workspace, mark FROM sandbox_snapshots WHERE workspace_id = ? AND name = ?",
            (workspace.id, name),
        )
        if meta is None:
            return None
        mark, settings = meta["mark"], loads(meta["workspace"])
        top = self.scalar("SELECT MAX(seq) FROM _undo WHERE workspace_id = ?", (workspace.id,)) or 0
        changes = 0
        if mark is not None and top > mark:
            changes = self.scalar(
                "SELECT COUNT(*) FROM _undo WHERE workspace_id = ? AND seq > ?", (workspace.id, mark)
            )
        if changes <= STEPS_ABOVE:
            with self.atomic():
                if mark is None:
                    self._restore_copy(workspace.id, name)
                    # The content is now the snapshot's: from here on a mark serves it like any other.
                    self._drop_copy(workspace.id, name)
                    self.execute(
                        "UPDATE sandbox_snapshots SET mark = ? WHERE workspace_id = ? AND name = ?",
                        (self._undo_position(), workspace.id, name),
                    )
                else:
                    self._undo_since(workspace.id, mark)
                self.generation += 1
                restored = self.update_workspace(workspace, **settings)
        else:
            keep = self._later_needs(workspace.id, mark)
            with self.replacing(workspace.id) as finished:
                # Logged as it goes (what a stop midway rolls back), then dropped unless needed.
                for table_name in self._undo_tables(workspace.id, mark, top):
                    firsts = self.execute(UNDO_FIRSTS, (workspace.id, table_name, mark, top)).fetchall()
                    for start in range(0, len(firsts), STEP_ROWS):
                        with self.atomic():
                            self._put_back_rows(table_name, firsts[start : start + STEP_ROWS])
                        yield
                with self.atomic():
                    self.generation += 1
                    restored = self.update_workspace(workspace, **settings)
                    finished()
                    end = self._undo_position()
            if not keep:
                # Undone, the changes since the mark serve no snapshot: dropped a chunk per step (any
                # left over would still undo to the mark rightly, only slower).
                while self._delete_some(
                    "_undo",
                    "workspace_id = ? AND seq > ? AND seq <= ?",
                    (workspace.id, mark, end),
                    UNDO_CHUNK,
                ):
                    yield
        self._undo_to_purge.add(workspace.id)
        return restored

    def snapshots(self, workspace_id: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT name, created_at FROM sandbox_snapshots WHERE workspace_id = ? ORDER BY created_at, name",
            (workspace_id,),
        )

    def delete_snapshot(self, workspace_id: str, name: str) -> bool:
        with self.atomic():
            found = self.execute(
                "DELETE FROM sandbox_snapshots WHERE workspace_id = ? AND name = ?", (workspace_id, name)
            ).rowcount
            self._drop_copy(workspace_id, name)
        self._undo_to_purge.add(workspace_id)
        return bool(found)

    def purge_undo(self) -> bool:
        """Delete one chunk of undo entries no snapshot needs any more (those before the workspace's
        oldest snapshot), in a transaction of its own; False when none are left to delete."""
        while self._undo_to_purge:
            workspace_id = next(iter(self._undo_to_purge))
            oldest = self.scalar(
                "SELECT MIN(mark) FROM sandbox_snapshots WHERE workspace_id = ?", (workspace_id,)
            )
            with self.atomic():
                purged = self._delete_some(
                    "_undo",
                    "workspace_id = ? AND seq <= ?",
                    (workspace_id, oldest if oldest is not None else self._undo_position()),
                    UNDO_CHUNK,
                )
            if purged:
                return True
            self._undo_to_purge.discard(workspace_id)
        return False

    async def tidy(self) -> None:
        """After a reset, snapshot, restore or deletion has answered: the undo entries no snapshot needs
        and the rows of deleted workspaces deleted a step at a time (each a short transaction, so other
        requests wait milliseconds between), then the write-ahead log checkpointed from a thread."""
        while self.purge_undo():
            await asyncio.sleep(0)
        for _ in self.sweep_steps():
            await asyncio.sleep(0)
        await asyncio.to_thread(self.checkpoint)

    def tidy_now(self) -> None:
        """`tidy`'s deletions at once, for a caller without an event loop (the command line, a loader)."""
        while self.purge_undo():
            pass
        run_steps(self.sweep_steps())

    def tidy_soon(self) -> None:
        """`tidy` on the running event loop, in the background; at once where there is no loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.tidy_now()
            return
        task = loop.create_task(self.tidy())
        self._tidying.add(task)  # a task only the loop refers to may be collected before it ends
        task.add_done_callback(self._tidying.discard)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, as far as readers allow (PASSIVE: waits for
        no one). Meant for a thread: it opens a connection of its own."""
        if self.path == ":memory:":
            return
        conn = sqlite3.connect(self.path)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def _undo_position(self) -> int:
        """The last undo entry handed out, of any workspace: what a snapshot taken now marks."""
        return int(self.scalar("SELECT seq FROM sqlite_sequence WHERE name = '_undo'") or 0)

    def _undo_since(self, workspace_id: str, mark: int) -> None:
        """Put back every row the workspace changed since `mark`, in one transaction."""
        top = self.scalar("SELECT MAX(seq) FROM _undo WHERE workspace_id = ?", (workspace_id,))
        if top is None or top <= mark:
            return
        keep = self._later_needs(workspace_id, mark)
        with nullcontext() if keep else self._unlogged():
            for table_name in self._undo_tables(workspace_id, mark, top):
                self._put_back(table_name, workspace_id, mark, top)
            if not keep:
                self.execute("DELETE FROM _undo WHERE workspace_id = ? AND seq > ?", (workspace_id, mark))

    def _later_needs(self, workspace_id: str, mark: int) -> bool:
        """Whether a snapshot taken after `mark` needs the changes logged since: when it does, undoing
        them is logged on top of them; else they are dropped once undone."""
        later = self.scalar(
            "SELECT MAX(mark) FROM sandbox_snapshots WHERE workspace_id = ? AND mark > ?",
            (workspace_id, mark),
        )
        return later is not None and bool(
            self.scalar(
                "SELECT 1 FROM _undo WHERE workspace_id = ? AND seq > ? AND seq <= ? LIMIT 1",
                (workspace_id, mark, later),
            )
        )

    def _undo_tables(self, workspace_id: str, mark: int, top: int) -> list[str]:
        return [
            table_name
            for (table_name,) in self.execute(UNDO_TABLES_CHANGED, (workspace_id, mark, top)).fetchall()
        ]

    def _put_back(self, table_name: str, workspace_id: str, mark: int, top: int) -> None:
        """Put the table's rows changed in (mark, top] back as they were at `mark`: a row's first change
        since holds it as it was then, absent if that change inserted it, else the image it replaced."""
        params = (workspace_id, table_name, mark, top)
        self.execute(
            f"DELETE FROM [{table_name}] WHERE rowid IN (SELECT rid FROM _undo WHERE {UNDO_SPAN})", params
        )
        self._insert_images(table_name, f"SELECT MIN(seq) FROM _undo WHERE {UNDO_SPAN} GROUP BY rid", params)

    def _put_back_rows(self, table_name: str, firsts: list[tuple[int, int]]) -> None:
        """`_put_back` for some rows: (rowid, the sequence number of its first change)."""
        marks = ", ".join("?" * len(firsts))
        self.execute(f"DELETE FROM [{table_name}] WHERE rowid IN ({marks})", [rid for rid, _ in firsts])
        self._insert_images(table_name, marks, [seq for _, seq in firsts])

    def _insert_images(self, table_name: str, entries: str, params: Sequence[Any]) -> None:
        columns = self._columns(table_name)
        images = ", ".join(
            f"json_extract(old, '$.\"{column}\"')" for column in self._column_names(table_name)
        )
        self.execute(
            f"INSERT INTO [{table_name}] (rowid, {columns}) SELECT rid, {images} FROM _undo "
            f"WHERE seq IN ({entries}) AND op != 'i'",
            params,
        )

    @contextmanager
    def _unlogged(self) -> Iterator[None]:
        """Changes made in the block are not written to the undo log (call it inside a transaction)."""
        pause = self.execute("INSERT INTO _undo_paused (reason) VALUES ('')").lastrowid
        yield
        self.execute("DELETE FROM _undo_paused WHERE rowid = ?", (pause,))

    # Full copies, as database files of earlier releases hold their snapshots.

    def _restore_copy(self, workspace_id: str, name: str) -> None:
        for spec in self.content_tables():
            shadow = self._shadow(spec.name)
            columns = self._columns(spec.name)
            self.execute(f"DELETE FROM [{spec.name}] WHERE workspace_id = ?", (workspace_id,))
            self.execute(
                f"INSERT INTO [{spec.name}] ({columns}) SELECT {columns} FROM [{shadow}] "
                "WHERE workspace_id = ? AND _snapshot = ?",
                (workspace_id, name),
            )

    def _drop_copy(self, workspace_id: str, name: str) -> None:
        for shadow in self._snapshot_tables():
            self.execute(
                f"DELETE FROM [{shadow}] WHERE workspace_id = ? AND _snapshot = ?", (workspace_id, name)
            )

    def _column_names(self, table_name: str) -> tuple[str, ...]:
        columns = self._column_lists.get(table_name)
        if columns is None:
            columns = tuple(self.db.table(table_name).columns_dict)
            self._column_lists[table_name] = columns
        return columns

    def _columns(self, table_name: str) -> str:
        return ", ".join(f"[{column}]" for column in self._column_names(table_name))

    def _shadow(self, table_name: str) -> str:
        shadow = f"_snapshot_{table_name}"
        if shadow not in self._shadows:
            self.execute(
                f"CREATE TABLE IF NOT EXISTS [{shadow}] AS SELECT '' AS _snapshot, * FROM [{table_name}] WHERE 0"
            )
            self.execute(f"CREATE INDEX IF NOT EXISTS [{shadow}_key] ON [{shadow}] (workspace_id, _snapshot)")
            self._shadows.add(shadow)
        return shadow

    def _snapshot_tables(self) -> list[str]:
        return [name for name in self.db.table_names() if name.startswith("_snapshot_")]


def run_steps(steps: Generator[None, None, Result]) -> Result:
    """Run a stepwise operation (`Store.clear_steps`, `Store.restore_steps`...) to its end at once."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
