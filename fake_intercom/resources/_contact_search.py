"""What contact search reads: a narrow copy of every visible contact, kept in step by triggers.

A contact's row carries its whole JSON (over a kilobyte); a search that must look at many contacts
(a count, a filter no index serves) reads `contact_search` instead: one small row per visible
contact (not archived, not merged away) with the columns search compares, clustered by workspace,
with an index in the collation each field is compared in. A workspace's first custom contact attributes
get a slot of their own in it (`a0`...) as they are defined, a typed copy of the value with an index,
so that comparing them parses no JSON; substring matches (`~`, `^`, `$`) of three characters or more
find their candidates in a trigram index (`contact_search_text`) where SQLite has one. How many
contacts hold each role and each slot's value is kept too (`contact_search_values`): a search that is
one such comparison is counted without reading its matches.

None of it is content: reset, restore and snapshots change `contacts`, and the triggers follow.
"""

import sqlite3

from fake_intercom.resources._contact_store import COLUMNS as MIRRORED
from fake_intercom.store import Store, counted, derived

# Custom contact attributes of one workspace that get a slot, the first defined; more are compared from
# the JSON.
SLOTS = 16
SLOT_COLUMNS = tuple(f"a{slot}" for slot in range(SLOTS))
# The columns contacts mirror from their JSON, and those search reads besides.
COPIED = ("id", "email_domain", *MIRRORED)
TEXT_COLUMNS = ("name", "email", "phone", "external_id")
NOCASE_INDEXED = ("email", "external_id", "name", "phone", "email_domain")
# Every column that is not text of some length, in one index: a filter over them (a role, dates, custom
# attributes) that no index leads is checked in this index's small entries rather than in the rows.
FILTER_COLUMNS = (
    "role",
    "owner_id",
    "created_at",
    "updated_at",
    "signed_up_at",
    "last_seen_at",
    *SLOT_COLUMNS,
)
VISIBLE_NEW = "NEW.merged_into IS NULL AND COALESCE(NEW.archived, 0) = 0"


def _path(name: str) -> str:
    """The JSON path of a custom attribute, from its name (an SQL expression)."""
    return f"""'$."' || {name} || '"'"""


def _pathable(name: str) -> str:
    """Whether that path reads the attribute: a name with a quote or a backslash is never searched."""
    return f"""instr({name}, '"') = 0 AND instr({name}, '\\') = 0"""


def _slot_value(slot: int, row: str) -> str:
    return (
        f"json_extract({row}.custom_attributes, (SELECT path FROM contact_search_slots "
        f"WHERE workspace_id = {row}.workspace_id AND slot = {slot}))"
    )


def _copy(row: str, rowid: str) -> str:
    """The values of a contact_search row, from a contacts row named `row`."""
    values = [f"{row}.workspace_id", rowid, *(f"{row}.{column}" for column in COPIED)]
    return ", ".join([*values, *(_slot_value(slot, row) for slot in range(SLOTS))])


COLUMNS = ", ".join(("workspace_id", "rid", *COPIED, *SLOT_COLUMNS))
# The planner's picture of a large workspace: its contacts are many; an id, email, external id or phone
# finds one or two, a name a few, a role half of them, a custom attribute's value a good share.
ROWS, WORKSPACE_ROWS = "1000000", "100000"
STATS = (
    ("contact_search", "contact_search", f"{ROWS} {WORKSPACE_ROWS} 1"),
    ("contact_search", "contact_search_id", f"{ROWS} {WORKSPACE_ROWS} 1"),
    ("contact_search", "contact_search_created", f"{ROWS} {WORKSPACE_ROWS} 2 1"),
    ("contact_search", "contact_search_updated", f"{ROWS} {WORKSPACE_ROWS} 2 1"),
    *(
        ("contact_search", f"contact_search_{column}", f"{ROWS} {WORKSPACE_ROWS} {rows}")
        for column, rows in (
            ("email", 2),
            ("external_id", 1),
            ("phone", 2),
            ("name", 10),
            ("email_domain", 100),
        )
    ),
    (
        "contact_search",
        "contact_search_filters",
        f"{ROWS} {WORKSPACE_ROWS} 50000 " + " ".join("1" for _ in FILTER_COLUMNS[1:]),
    ),
    *(
        ("contact_search", f"contact_search_{column}", f"{ROWS} {WORKSPACE_ROWS} 1000")
        for column in SLOT_COLUMNS
    ),
)

derived(
    "contact_search",
    scoped=("contact_search_slots",),
    stats=STATS,
    schema=(
        "CREATE TABLE contact_search (workspace_id TEXT NOT NULL, rid INTEGER NOT NULL, id TEXT NOT NULL, "
        "role TEXT, email TEXT, email_domain TEXT, external_id TEXT, name TEXT, phone TEXT, owner_id INTEGER, "
        "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, signed_up_at INTEGER, last_seen_at INTEGER, "
        + ", ".join(SLOT_COLUMNS)
        + ", PRIMARY KEY (workspace_id, rid)) WITHOUT ROWID",
        "CREATE UNIQUE INDEX contact_search_id ON contact_search (workspace_id, id)",
        "CREATE INDEX contact_search_created ON contact_search (workspace_id, created_at, id)",
        "CREATE INDEX contact_search_updated ON contact_search (workspace_id, updated_at, id)",
        *(
            f"CREATE INDEX contact_search_{column} ON contact_search (workspace_id, {column} COLLATE NOCASE) "
            f"WHERE {column} IS NOT NULL"
            for column in NOCASE_INDEXED
        ),
        "CREATE INDEX contact_search_filters ON contact_search "
        f"(workspace_id, role COLLATE NOCASE, {', '.join(FILTER_COLUMNS[1:])})",
        *(
            f"CREATE INDEX contact_search_{column} ON contact_search (workspace_id, {column} COLLATE NOCASE) "
            f"WHERE {column} IS NOT NULL"
            for column in SLOT_COLUMNS
        ),
        # Which custom attribute each slot holds, by workspace: given as the attribute is defined (before
        # any contact can hold a value for it, so no contact's copy changes), never taken back.
        "CREATE TABLE contact_search_slots (workspace_id TEXT NOT NULL, slot INTEGER NOT NULL, "
        "name TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (workspace_id, slot)) WITHOUT ROWID",
        "CREATE UNIQUE INDEX contact_search_slot_names ON contact_search_slots (workspace_id, name)",
        "CREATE TRIGGER contact_search_slot_given AFTER INSERT ON data_attributes "
        f"WHEN NEW.model = 'contact' AND {_pathable('NEW.name')} BEGIN "
        "INSERT INTO contact_search_slots (workspace_id, slot, name, path) "
        f"SELECT NEW.workspace_id, taken, NEW.name, {_path('NEW.name')} "
        "FROM (SELECT COUNT(*) AS taken FROM contact_search_slots WHERE workspace_id = NEW.workspace_id) "
        f"WHERE taken < {SLOTS} AND NOT EXISTS (SELECT 1 FROM contact_search_slots "
        "WHERE workspace_id = NEW.workspace_id AND name = NEW.name); END",
        f"CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts WHEN {VISIBLE_NEW} BEGIN "
        f"INSERT INTO contact_search ({COLUMNS}) VALUES ({_copy('NEW', 'NEW.rowid')}); END",
        "CREATE TRIGGER contact_search_update AFTER UPDATE ON contacts BEGIN "
        "DELETE FROM contact_search WHERE workspace_id = OLD.workspace_id AND rid = OLD.rowid; "
        f"INSERT INTO contact_search ({COLUMNS}) SELECT {_copy('NEW', 'NEW.rowid')} WHERE {VISIBLE_NEW}; END",
        "CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN "
        "DELETE FROM contact_search WHERE workspace_id = OLD.workspace_id AND rid = OLD.rowid; END",
    ),
    fill=(
        # The slots of the attributes defined so far, in the order they were defined.
        "INSERT INTO contact_search_slots (workspace_id, slot, name, path) "
        f"SELECT workspace_id, slot, name, {_path('name')} FROM (SELECT workspace_id, name, "
        "ROW_NUMBER() OVER (PARTITION BY workspace_id ORDER BY rowid) - 1 AS slot FROM data_attributes "
        f"WHERE model = 'contact' AND {_pathable('name')}) WHERE slot < {SLOTS}",
        f"INSERT INTO contact_search ({COLUMNS}) SELECT {_copy('c', 'c.rowid')} FROM contacts c "
        "WHERE c.merged_into IS NULL AND COALESCE(c.archived, 0) = 0",
    ),
)
# How many contacts each workspace shows, for the `total_count` of the plain list.
counted("contact_search")

# How many of them hold each value of a role or a slot, compared as search compares them (text ignoring
# ASCII case, numbers as numbers): the `total_count` of a search that is one such comparison.
VALUE_COUNTED = ("role", *SLOT_COLUMNS)
derived(
    "contact_search_values",
    scoped=("contact_search_values",),
    schema=(
        "CREATE TABLE contact_search_values (workspace_id TEXT NOT NULL, field TEXT NOT NULL, "
        "value NOT NULL COLLATE NOCASE, counted INTEGER NOT NULL, PRIMARY KEY (workspace_id, field, value)) "
        "WITHOUT ROWID",
        *(
            statement
            for column in VALUE_COUNTED
            for statement in (
                f"CREATE TRIGGER contact_search_values_{column}_insert AFTER INSERT ON contact_search "
                f"WHEN NEW.{column} IS NOT NULL BEGIN "
                "INSERT INTO contact_search_values (workspace_id, field, value, counted) "
                f"VALUES (NEW.workspace_id, '{column}', NEW.{column}, 1) "
                "ON CONFLICT (workspace_id, field, value) DO UPDATE SET counted = counted + 1; END",
                f"CREATE TRIGGER contact_search_values_{column}_delete AFTER DELETE ON contact_search "
                f"WHEN OLD.{column} IS NOT NULL BEGIN "
                "UPDATE contact_search_values SET counted = counted - 1 "
                f"WHERE workspace_id = OLD.workspace_id AND field = '{column}' AND value = OLD.{column}; END",
            )
        ),
    ),
    # No fill: these triggers count the rows contact_search's own fill writes (see the trigram index).
)


def _has_trigram() -> bool:
    """Whether this SQLite has FTS5 and its trigram tokenizer (3.34 and later)."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


TRIGRAM = _has_trigram()
if TRIGRAM:
    text = ", ".join(TEXT_COLUMNS)
    derived(
        "contact_search_text",
        schema=(
            f"CREATE VIRTUAL TABLE contact_search_text USING fts5({text}, content='', tokenize='trigram')",
            "CREATE TRIGGER contact_search_text_insert AFTER INSERT ON contact_search BEGIN "
            f"INSERT INTO contact_search_text (rowid, {text}) VALUES "
            f"(NEW.rid, {', '.join(f'NEW.{column}' for column in TEXT_COLUMNS)}); END",
            "CREATE TRIGGER contact_search_text_delete AFTER DELETE ON contact_search BEGIN "
            f"INSERT INTO contact_search_text (contact_search_text, rowid, {text}) VALUES "
            f"('delete', OLD.rid, {', '.join(f'OLD.{column}' for column in TEXT_COLUMNS)}); END",
        ),
        # No fill: every derived schema is created before any fill runs, so that these triggers index the
        # rows contact_search's own fill writes.
    )


def slot_of(store: Store, workspace_id: str, name: str) -> str | None:
    """The column holding custom attribute `name` for this workspace's contacts; None when it was defined
    after the workspace's slots were all taken."""
    slot = store.scalar(
        "SELECT slot FROM contact_search_slots WHERE workspace_id = ? AND name = ?", (workspace_id, name)
    )
    return None if slot is None else SLOT_COLUMNS[slot]
