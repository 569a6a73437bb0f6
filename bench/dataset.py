"""The benchmark's data: a realistic workspace of N contacts, bulk-loaded in seconds, cached.

A `Plan` describes the workspace as the API calls that would build it, each at its own time: data
attributes and tags, companies, then contacts in the order they signed up, each followed by its company
attachments and taggings (which touch it) and its notes. `load` writes the rows those calls would leave:
through the fake's own domain functions where one call per object is cheap (admins, data attributes,
tags, companies, taggings, notes) and, for the contacts themselves, through the contacts resource's own
row shape and save with ids from the store's allocator. A test replays a small plan through the API and
finds every row identical, so the bulk path cannot drift from what the API does. (The webhook outbox is
left empty: it is a history of deliveries, not content, and nobody is subscribed.)

    python bench/dataset.py --size 100000    # build (or find) the cached database, print its figures
"""

import argparse
import bisect
import functools
import hashlib
import itertools
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import fake_intercom.app  # noqa: E402, F401  (importing the app declares the tables of its modules)
from fake_intercom.resources import resource_modules  # noqa: E402
from fake_intercom.resources._contact_store import blank_contact, save_contact  # noqa: E402
from fake_intercom.resources.admins import create_admin  # noqa: E402
from fake_intercom.resources.companies import create_company, find_company, update_company  # noqa: E402
from fake_intercom.resources.data_attributes import create_data_attribute  # noqa: E402
from fake_intercom.resources.notes import create_note  # noqa: E402
from fake_intercom.resources.tags import create_tag, tag_contact  # noqa: E402
from fake_intercom.sandbox import SEED_SNAPSHOT, provision_workspace  # noqa: E402
from fake_intercom.seed import (  # noqa: E402
    DEMO_ADMINS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    NOTES,
    PLANS,
    TAGS,
)
from fake_intercom.seed import ascii_local_part as _ascii_local_part  # noqa: E402
from fake_intercom.store import Store, Workspace  # noqa: E402

# Bump when the plan changes in a way a small build does not show (see `fingerprint`): cached databases
# are then built again.
LOADER_VERSION = 1
FINGERPRINT_SIZE, FINGERPRINT_NOW = 60, 1_700_000_000
TOKEN = "bench-token"
WORKSPACE_NAME = "Benchmark"
# Fixed, so that a dataset loaded in bulk and one built through the API are the same rows.
WORKSPACE_ID = "benchws1"
CACHE = Path(os.environ.get("FAKE_INTERCOM_BENCH_CACHE", Path.home() / ".cache" / "fake-intercom-bench"))

DAY = 86_400
SPAN = 3 * 365 * DAY  # contacts signed up over the last three years
CONTACTS_PER_COMPANY = 20
CHUNK = 5_000  # contacts per transaction
# The tables that grow with the contacts.
BULK_TABLES = ("contacts", "company_contacts", "contact_tags", "notes")

DATA_ATTRIBUTES = (
    ("plan", "string"),
    ("seats", "integer"),
    ("mrr", "float"),
    ("beta_tester", "boolean"),
    ("renewal_date", "date"),
)
TAG_NAMES = (
    *TAGS,
    "Trial",
    "Annual billing",
    "Monthly billing",
    "EMEA",
    "APAC",
    "Americas",
    "Champion",
    "Detractor",
    "Promoter",
    "Webinar attendee",
    "Event lead",
    "Slack integration",
    "Salesforce integration",
    "Mobile user",
    "API user",
    "Security review",
)
MORE_FIRST_NAMES = (
    "Aisha", "Björn", "Camille", "Dmitri", "Esther", "Farah", "Gustavo", "Helga", "Ibrahim", "Jun",
    "Kalani", "Leila", "Marek", "Nadia", "Olu", "Paulo", "Quinn", "Rosa", "Sven", "Thandiwe",
    "Uma", "Valentina", "Wei", "Xavier", "Yara", "Zoltán",
)  # fmt: skip
SYLLABLES = (
    "ka", "lo", "mi", "ran", "dor", "vel", "sa", "ti", "bren", "hol",
    "mar", "quin", "zel", "tor", "fen", "ri", "ga", "nus", "bel", "wyn",
)  # fmt: skip
SURNAME_ENDINGS = ("", "", "son", "sen", "ez", "ski", "er", "ova", "ić", "ani")
COMPANY_WORDS = (
    "Northwind", "Contoso", "Fabrikam", "Litware", "Tailspin", "Adatum", "Proseware", "Lucerne",
    "Margie", "Wingtip", "Woodgrove", "Alpine", "Coho", "Fourth", "Humongous", "Trey", "Blue Yonder",
    "Graphic", "Wide World", "Southridge",
)  # fmt: skip
COMPANY_KINDS = (
    "Labs",
    "Inc",
    "Group",
    "Systems",
    "Health",
    "Foods",
    "Logistics",
    "Analytics",
    "Retail",
    "AI",
)
MAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")
# Of the plans, from the cheapest: 40%, 30%, 20% and 10% of the contacts that have one.
PLAN_SHARES = (0.4, 0.7, 0.9)
MORE_NOTES = (
    "Champion for the rollout in their team.",
    "Asked for a copy of the security questionnaire.",
    "Wants to move from monthly to annual billing.",
    "Evaluating a competitor; follow up after their review.",
)


# Names repeat across contacts, and each costs a Unicode normalisation.
ascii_local_part = functools.lru_cache(maxsize=None)(_ascii_local_part)


@dataclass(frozen=True)
class CompanyPlan:
    at: int
    fields: dict[str, Any]
    """A POST /companies body."""


@dataclass(frozen=True)
class ContactPlan:
    at: int
    fields: dict[str, Any]
    """A POST /contacts body, without `owner_id`."""
    owner: int | None
    """Index into the workspace's admins (the owner first)."""
    companies: tuple[tuple[int, int], ...]
    """(company index, attached at), in the order they are attached."""
    tags: tuple[tuple[int, int], ...]
    """(tag index, applied at), in the order they are applied, after the companies."""
    notes: tuple[tuple[int, str, int], ...]
    """(written at, body, admin index)."""


@dataclass(frozen=True)
class Plan:
    """A workspace of `size` contacts, drawn from generators seeded by `seed`; times end at `now`."""

    size: int
    now: int
    seed: str = "bench"
    admins: tuple[tuple[str, str, str], ...] = tuple(DEMO_ADMINS)
    data_attributes: tuple[tuple[str, str], ...] = DATA_ATTRIBUTES
    tags: tuple[str, ...] = TAG_NAMES
    first_names: tuple[str, ...] = (*FIRST_NAMES, *MORE_FIRST_NAMES)

    @property
    def start(self) -> int:
        return self.now - SPAN

    @functools.cached_property
    def companies(self) -> list[CompanyPlan]:
        rng = random.Random(f"{self.seed}:companies:{self.size}")
        count = max(3, self.size // CONTACTS_PER_COMPANY)
        times = sorted(rng.randint(self.start - 30 * DAY, self.now - DAY) for _ in range(count))
        companies = []
        for index, at in enumerate(times):
            name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
            fields = {
                "company_id": f"company-{index + 1:07d}",
                "name": name,
                "plan": rng.choice(PLANS),
                "industry": rng.choice(INDUSTRIES),
                "size": rng.choice((5, 12, 40, 120, 600, 2500)),
                "monthly_spend": rng.choice((0, 49, 199, 990, 4900)),
                "website": f"https://{self.company_domain(index, name)}",
                "remote_created_at": at - rng.randint(0, 2000) * DAY,
            }
            companies.append(CompanyPlan(at, fields))
        return companies

    @staticmethod
    def company_domain(index: int, name: str) -> str:
        return f"{ascii_local_part(name)}{index + 1}.example"

    def contacts(self) -> Iterator[ContactPlan]:
        """The contacts in the order they are created (by sign-up time), generated as they are read."""
        rng = random.Random(f"{self.seed}:contacts:{self.size}")
        times = sorted(rng.randint(self.start, self.now - 60) for _ in range(self.size))
        company_times = [company.at for company in self.companies]
        for index, at in enumerate(times):
            yield self._contact(rng, index, at, company_times)

    def _contact(self, rng: random.Random, index: int, at: int, company_times: list[int]) -> ContactPlan:
        is_user = rng.random() < 0.75
        first = rng.choice(self.first_names)
        last = rng.choice(LAST_NAMES) if rng.random() < 0.6 else self._surname(rng)
        companies: list[tuple[int, int]] = []
        if is_user:
            # Older companies have more people: the pick leans towards the start of those existing by then.
            existing = max(1, bisect.bisect_right(company_times, at))
            for _ in range(_one_two_three(rng, 0.75, 0.95)):
                company = int(existing * rng.random() ** 1.5)
                if all(company != chosen for chosen, _ in companies):
                    attached = min(max(at, company_times[company]) + rng.randint(0, 2 * DAY), self.now)
                    companies.append((company, attached))
        companies.sort(key=lambda pair: pair[1])
        if companies:
            first_company = companies[0][0]
            domain = self.company_domain(first_company, self.companies[first_company].fields["name"])
        else:
            domain = rng.choice(MAIL_DOMAINS)
        fields: dict[str, Any] = {"role": "user" if is_user else "lead"}
        if is_user or rng.random() < 0.7:
            fields["email"] = f"{ascii_local_part(first)}.{ascii_local_part(last)}{index}@{domain}"
        if is_user:
            fields["external_id"] = rng.choice(
                (f"user-{index + 1:07d}", f"usr_{rng.getrandbits(48):012x}", str(100_000 + index))
            )
        kind = rng.random()
        if kind < 0.6:
            fields["phone"] = f"+1555{rng.randint(1_000_000, 9_999_999)}"
        elif kind < 0.8:
            fields["phone"] = f"+44 7700 9{rng.randint(10_000, 99_999)}"
        if is_user or rng.random() < 0.5:
            fields["name"] = f"{first} {last}"
        if rng.random() < 0.3:
            fields["avatar"] = f"https://avatars.example/{index + 1}.png"
        if is_user:
            fields["signed_up_at"] = at
        if rng.random() < 0.85:
            fields["last_seen_at"] = rng.randint(at, self.now)
        if rng.random() < 0.05:
            fields["unsubscribed_from_emails"] = True
        fields["custom_attributes"] = self._custom_attributes(rng, is_user)
        tags: list[tuple[int, int]] = []
        if rng.random() < 0.4:
            applied = companies[-1][1] if companies else at
            for tag in rng.sample(range(len(self.tags)), _one_two_three(rng, 0.6, 0.9)):
                applied = min(applied + rng.randint(0, 120 * DAY), self.now)
                tags.append((tag, applied))
        notes: list[tuple[int, str, int]] = []
        if is_user and rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                body = rng.choice((*NOTES, *MORE_NOTES))
                notes.append((rng.randint(at, self.now), body, rng.randrange(len(self.admins) + 1)))
        owner = rng.randrange(len(self.admins) + 1) if rng.random() < 0.3 else None
        return ContactPlan(at, fields, owner, tuple(companies), tuple(tags), tuple(notes))

    def _surname(self, rng: random.Random) -> str:
        parts = rng.choices(SYLLABLES, k=rng.choice((2, 2, 3)))
        return ("".join(parts) + rng.choice(SURNAME_ENDINGS)).capitalize()

    def _custom_attributes(self, rng: random.Random, is_user: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if is_user or rng.random() < 0.5:
            values["plan"] = PLANS[bisect.bisect(PLAN_SHARES, rng.random())]
        if is_user and rng.random() < 0.8:
            values["seats"] = min(int(rng.paretovariate(1.2) * 3), 1000)
        if rng.random() < 0.5:
            values["mrr"] = round(rng.uniform(0, 5000), 2)
        if rng.random() < 0.3:
            values["beta_tester"] = rng.random() < 0.3
        if rng.random() < 0.4:
            values["renewal_date"] = self.now + rng.randint(1, 365) * DAY
        return values


def _one_two_three(rng: random.Random, one: float, up_to_two: float) -> int:
    """1, 2 or 3, with the chances given cumulatively (cheaper than `rng.choices`)."""
    draw = rng.random()
    return 1 if draw < one else 2 if draw < up_to_two else 3


# -- writing a plan -----------------------------------------------------------------------------


def _at(workspace: Workspace, moment: int) -> Workspace:
    """The workspace with its clock stopped at `moment`: what the domain functions then write."""
    return replace(workspace, clock_frozen_at=moment)


def load(store: Store, plan: Plan, token: str = TOKEN) -> Workspace:
    """Create the plan's workspace in `store`, remembered as its seed (what a reset returns to)."""
    workspace = provision_workspace(
        store, name=WORKSPACE_NAME, token=token, seed="none", workspace_id=WORKSPACE_ID
    )
    with store.atomic():
        admins = [workspace.owner_admin_id or ""]
        admins += [
            create_admin(store, workspace, name=name, email=email, job_title=title)["id"]
            for name, email, title in plan.admins
        ]
        for name, data_type in plan.data_attributes:
            create_data_attribute(store, _at(workspace, plan.start), "contact", name, data_type)
        tags = [create_tag(store, workspace, name)["id"] for name in plan.tags]
        companies = [
            create_company(store, _at(workspace, company.at), company.fields)["id"]
            for company in plan.companies
        ]
    last_attached: dict[int, int] = {}
    contacts = plan.contacts()
    while chunk := list(itertools.islice(contacts, CHUNK)):
        with store.atomic():
            for contact in chunk:
                _load_contact(store, workspace, contact, admins, tags, companies, last_attached)
    with store.atomic():
        # Each attachment touches its company; only the last one's time remains.
        for company, attached in last_attached.items():
            row = find_company(store, workspace.id, companies[company])
            assert row is not None
            update_company(store, _at(workspace, attached), row, {})
    store.snapshot_workspace(workspace, SEED_SNAPSHOT)
    store.tidy_now()  # what the load logged: no restore goes back before its seed
    return workspace


def _load_contact(
    store: Store,
    workspace: Workspace,
    plan: ContactPlan,
    admins: list[str],
    tags: list[str],
    companies: list[str],
    last_attached: dict[int, int],
) -> None:
    """What POST /contacts, then POST /contacts/{id}/companies, /tags and /notes leave behind."""
    contact_id = store.hex_id(workspace.id, "contact", plan.at)
    contact = blank_contact(workspace.id, contact_id, plan.at)
    for key, value in plan.fields.items():
        if key == "avatar":
            contact[key] = {"type": "avatar", "image_url": value}
        elif key != "custom_attributes":
            contact[key] = value
    if plan.owner is not None:
        contact["owner_id"] = int(admins[plan.owner])
    custom = {name: value for name, value in plan.fields["custom_attributes"].items() if value is not None}
    for company, attached in plan.companies:
        store.insert(
            "company_contacts",
            {
                "workspace_id": workspace.id,
                "company_id": companies[company],
                "contact_id": contact_id,
                "created_at": attached,
            },
        )
        last_attached[company] = attached
        contact["updated_at"] = attached
    for tag, applied in plan.tags:
        tag_contact(store, _at(workspace, applied), contact_id, tags[tag], admins[0])
        contact["updated_at"] = applied
    save_contact(store, workspace.id, contact, custom, insert=True)
    for written, body, admin in plan.notes:
        create_note(store, _at(workspace, written), contact_id, body, admins[admin])


# -- building and caching -----------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    path: Path
    size: int
    seconds: float | None
    """How long the build took; None when the database came from the cache."""
    cpu_seconds: float | None = None
    """The CPU time it took (steadier than `seconds` on a busy machine)."""

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1e6


def fingerprint() -> str:
    """Changes whenever what the loader writes would change: the fake's schema (its tables, columns and
    indexes, those created on the way included) or the rows themselves, as a small build at a fixed time
    shows them. A cached database is used only under the fingerprint it was built with."""
    resource_modules()
    store = Store(":memory:")
    load(store, Plan(FINGERPRINT_SIZE, FINGERPRINT_NOW))
    digest = hashlib.sha256(f"loader {LOADER_VERSION}".encode())
    for (statement,) in sorted(store.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")):
        digest.update(statement.encode())
    for spec in store.content_tables():
        for row in store.execute(f"SELECT * FROM [{spec.name}] ORDER BY rowid"):
            digest.update(repr(row).encode())
    store.db.close()
    return digest.hexdigest()[:12]


def build(path: Path, size: int, *, now: int | None = None, seed: str = "bench") -> tuple[float, float]:
    """Write a workspace of `size` contacts into a new SQLite file at `path`; return the seconds taken,
    elapsed and of CPU."""
    started, cpu_started = time.perf_counter(), time.process_time()
    resource_modules()
    store = Store(str(path))
    # The file is renamed into place only when complete, so a crash mid-build loses nothing worth a
    # journal; the tables filled in bulk get their indexes afterwards, built in one sorted pass each.
    store.execute("PRAGMA journal_mode=OFF")
    store.execute("PRAGMA synchronous=OFF")
    store.execute("PRAGMA cache_size=-1000000")
    # So are the tables that triggers keep in step with the content: built once, at the end.
    store.drop_derived(kinds=("trigger",))
    with _indexes_afterwards(store, BULK_TABLES):
        load(store, Plan(size, now if now is not None else int(time.time()), seed))
    store.build_derived()
    store.execute("PRAGMA journal_mode=WAL")
    store.db.close()
    return time.perf_counter() - started, time.process_time() - cpu_started


@contextmanager
def _indexes_afterwards(store: Store, tables: tuple[str, ...]) -> Iterator[None]:
    """Drop the tables' declared indexes for the block, then create them again (primary keys stay)."""
    marks = ", ".join("?" * len(tables))
    indexes = store.query(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    )
    for index in indexes:
        store.execute(f"DROP INDEX [{index['name']}]")
    yield
    for index in indexes:
        store.execute(index["sql"])


def cached(size: int, *, cache: Path = CACHE, rebuild: bool = False) -> Built:
    """The database of `size` contacts for this schema and loader, built on first use."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"contacts-{size}-{fingerprint()}.db"
    if path.exists() and not rebuild:
        return Built(path, size, None)
    for stale in cache.glob(f"contacts-{size}-*.db*"):
        stale.unlink()
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        seconds, cpu_seconds = build(partial, size)
        partial.rename(path)
    finally:
        for leftover in partial.parent.glob(f"{partial.name}*"):
            leftover.unlink()
    return Built(path, size, seconds, cpu_seconds)


def working_copy(built: Built, folder: Path) -> Path:
    """A copy of a cached database for one run to change (the cache stays as built)."""
    target = folder / built.path.name
    shutil.copyfile(built.path, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="contacts in the workspace")
    parser.add_argument("--rebuild", action="store_true", help="build again even if cached")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"cache folder (default {CACHE})")
    args = parser.parse_args()
    built = cached(args.size, cache=args.cache, rebuild=args.rebuild)
    how = (
        "cached"
        if built.seconds is None
        else f"built in {built.seconds:.1f} s ({built.cpu_seconds:.1f} s of CPU)"
    )
    print(f"{built.size:,} contacts: {built.path} ({built.megabytes:,.0f} MB, {how})")


if __name__ == "__main__":
    main()
