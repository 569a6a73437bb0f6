"""What the company lists read: each company's sort keys and how many visible contacts it has, kept in
step by triggers.

Lists leave out companies without contacts and sort by last request, then creation; a company's
`user_count` is its contacts that are neither archived nor merged away. Counting those links for every
company on every page read them all: `company_listing` holds each company's count (`people`), kept
by the links (`company_contacts`) and by contacts coming into and out of view (`contact_search`), and
the sort keys under an index of the listed companies alone, so that a page is a walk along it.
`company_listing_counts` holds how many companies each workspace lists.

None of it is content: reset, restore and snapshots change the content tables, and the triggers follow.
"""

from fake_intercom.resources import _contact_search  # noqa: F401  (its table, which triggers here follow)
from fake_intercom.store import Store, derived

# A company's visible contacts: its links to contacts in contact_search.
_PEOPLE = (
    "(SELECT COUNT(*) FROM company_contacts cc JOIN contact_search s ON s.workspace_id = cc.workspace_id "
    "AND s.id = cc.contact_id WHERE cc.workspace_id = {row}.workspace_id AND cc.company_id = {row}.id)"
)


def _add(people: str, where: str) -> str:
    return f"UPDATE company_listing SET people = people {people} WHERE {where}; "


def _of_contact(contact: str) -> str:
    """The companies of a contact_search row named `contact`."""
    return (
        f"workspace_id = {contact}.workspace_id AND id IN (SELECT company_id FROM company_contacts "
        f"WHERE workspace_id = {contact}.workspace_id AND contact_id = {contact}.id)"
    )


def _of_link(row: str) -> str:
    """The company of a company_contacts row named `row`, while its contact is visible."""
    return (
        f"workspace_id = {row}.workspace_id AND id = {row}.company_id AND EXISTS (SELECT 1 FROM "
        f"contact_search WHERE workspace_id = {row}.workspace_id AND id = {row}.contact_id)"
    )


derived(
    "company_listing",
    scoped=("company_listing_counts",),
    stats=(
        ("company_listing", "company_listing", "100000 10000 1"),
        ("company_listing", "company_listing_id", "100000 10000 1"),
        ("company_listing", "company_listing_order", "50000 5000 2 1 1"),
    ),
    schema=(
        "CREATE TABLE company_listing (workspace_id TEXT NOT NULL, rid INTEGER NOT NULL, id TEXT NOT NULL, "
        "last_request_at INTEGER NOT NULL, created_at INTEGER, people INTEGER NOT NULL, "
        "PRIMARY KEY (workspace_id, rid)) WITHOUT ROWID",
        "CREATE UNIQUE INDEX company_listing_id ON company_listing (workspace_id, id)",
        # Only the companies that lists show, in the order they show them.
        "CREATE INDEX company_listing_order ON company_listing "
        "(workspace_id, last_request_at, created_at, rid) WHERE people > 0",
        "CREATE TABLE company_listing_counts (workspace_id TEXT PRIMARY KEY, listed INTEGER NOT NULL) "
        "WITHOUT ROWID",
        # The companies themselves.
        "CREATE TRIGGER company_listing_insert AFTER INSERT ON companies BEGIN "
        "INSERT INTO company_listing (workspace_id, rid, id, last_request_at, created_at, people) VALUES "
        f"(NEW.workspace_id, NEW.rowid, NEW.id, COALESCE(NEW.last_request_at, 0), NEW.created_at, "
        f"{_PEOPLE.format(row='NEW')}); END",
        "CREATE TRIGGER company_listing_update AFTER UPDATE OF id, last_request_at, created_at ON companies "
        "BEGIN UPDATE company_listing SET id = NEW.id, last_request_at = COALESCE(NEW.last_request_at, 0), "
        f"created_at = NEW.created_at, people = CASE WHEN NEW.id = OLD.id THEN people "
        f"ELSE {_PEOPLE.format(row='NEW')} END "
        "WHERE workspace_id = OLD.workspace_id AND rid = OLD.rowid; END",
        "CREATE TRIGGER company_listing_delete AFTER DELETE ON companies BEGIN "
        "DELETE FROM company_listing WHERE workspace_id = OLD.workspace_id AND rid = OLD.rowid; END",
        # Their links to contacts, counted while the contact is visible.
        f"CREATE TRIGGER company_listing_linked AFTER INSERT ON company_contacts BEGIN {_add('+ 1', _of_link('NEW'))}END",
        f"CREATE TRIGGER company_listing_unlinked AFTER DELETE ON company_contacts BEGIN "
        f"{_add('- 1', _of_link('OLD'))}END",
        "CREATE TRIGGER company_listing_relinked AFTER UPDATE OF workspace_id, company_id, contact_id "
        f"ON company_contacts BEGIN {_add('- 1', _of_link('OLD'))}{_add('+ 1', _of_link('NEW'))}END",
        # Contacts coming into view (created, unarchived) and going out of it (archived, merged, deleted).
        f"CREATE TRIGGER company_listing_shown AFTER INSERT ON contact_search BEGIN "
        f"{_add('+ 1', _of_contact('NEW'))}END",
        f"CREATE TRIGGER company_listing_hidden AFTER DELETE ON contact_search BEGIN "
        f"{_add('- 1', _of_contact('OLD'))}END",
        # How many companies each workspace lists.
        "CREATE TRIGGER company_listing_counted AFTER INSERT ON company_listing WHEN NEW.people > 0 BEGIN "
        "INSERT INTO company_listing_counts (workspace_id, listed) VALUES (NEW.workspace_id, 1) "
        "ON CONFLICT (workspace_id) DO UPDATE SET listed = listed + 1; END",
        "CREATE TRIGGER company_listing_uncounted AFTER DELETE ON company_listing WHEN OLD.people > 0 BEGIN "
        "UPDATE company_listing_counts SET listed = listed - 1 WHERE workspace_id = OLD.workspace_id; END",
        "CREATE TRIGGER company_listing_recounted AFTER UPDATE OF people ON company_listing "
        "WHEN (OLD.people > 0) != (NEW.people > 0) BEGIN "
        "INSERT INTO company_listing_counts (workspace_id, listed) VALUES (NEW.workspace_id, NEW.people > 0) "
        "ON CONFLICT (workspace_id) DO UPDATE SET listed = listed + "
        "CASE WHEN NEW.people > 0 THEN 1 ELSE -1 END; END",
    ),
    fill=(
        "INSERT INTO company_listing (workspace_id, rid, id, last_request_at, created_at, people) "
        "SELECT co.workspace_id, co.rowid, co.id, COALESCE(co.last_request_at, 0), co.created_at, "
        f"{_PEOPLE.format(row='co')} FROM companies co",
    ),
)


def listed_companies(store: Store, workspace_id: str) -> int:
    """How many companies the workspace lists (those with a visible contact)."""
    count = store.scalar("SELECT listed FROM company_listing_counts WHERE workspace_id = ?", (workspace_id,))
    return int(count or 0)


def people(store: Store, workspace_id: str, company_id: str) -> int:
    """The company's visible contacts: its `user_count`."""
    count = store.scalar(
        "SELECT people FROM company_listing WHERE workspace_id = ? AND id = ?", (workspace_id, company_id)
    )
    return int(count or 0)
