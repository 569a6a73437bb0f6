"""Workspace contents: `none` (only the owner admin) or `demo` (a realistic, deterministic workspace).

The demo workspace is drawn from a random generator seeded by the workspace id, so the same
workspace always gets the same people, companies and relations; timestamps are offsets back from
the workspace clock.
"""

import random
import unicodedata
from typing import Any

from fake_intercom.resources import resource_modules
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources.admins import create_admin
from fake_intercom.resources.companies import attach_contact, create_company, tag_company
from fake_intercom.resources.data_attributes import create_data_attribute
from fake_intercom.resources.data_events import record_event
from fake_intercom.resources.notes import create_note
from fake_intercom.resources.segments import create_segment
from fake_intercom.resources.subscription_types import create_subscription_type
from fake_intercom.resources.tags import create_tag, tag_contact
from fake_intercom.resources.teams import create_team
from fake_intercom.resources.visitors import create_visitor
from fake_intercom.store import Store, Workspace

OWNER = {"name": "Ada Owner", "email": "owner@sandbox.test", "job_title": "Head of Support"}
DEMO_ADMINS = [
    ("Grace Hopper", "grace@sandbox.test", "Support Engineer"),
    ("Alan Turing", "alan@sandbox.test", "Support Engineer"),
    ("Katherine Johnson", "katherine@sandbox.test", "Success Manager"),
    ("Edsger Dijkstra", "edsger@sandbox.test", "Billing Specialist"),
]
FIRST_NAMES = [
    "Maya",
    "Liam",
    "Sofia",
    "Noah",
    "Amara",
    "Kenji",
    "Elena",
    "Omar",
    "Priya",
    "Lucas",
    "Zara",
    "Mateo",
    "Ingrid",
    "Kwame",
    "Chloe",
    "Ravi",
    "Hana",
    "Diego",
    "Freya",
    "Tomás",
]
LAST_NAMES = [
    "Okafor",
    "Schmidt",
    "Tanaka",
    "Rossi",
    "Nguyen",
    "Haddad",
    "Johansson",
    "Silva",
    "Kowalski",
    "Fernández",
    "Müller",
    "Patel",
    "O'Brien",
    "Dubois",
    "Kim",
    "Mensah",
]
COMPANIES = [
    "Acme Analytics",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Retail",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Robotics",
    "Cyberdyne",
    "Aperture Labs",
    "Black Mesa",
    "Wonka Confectionery",
    "Oscorp",
    "Gringotts",
    "Monsters Inc",
    "Duff Brewing",
    "Blue Sun",
]
INDUSTRIES = ["Software", "Retail", "Healthcare", "Logistics", "Finance", "Manufacturing"]
PLANS = ["free", "starter", "pro", "enterprise"]
TAGS = [
    "VIP",
    "Beta tester",
    "Churn risk",
    "Needs onboarding",
    "Billing issue",
    "Feature request",
    "Enterprise",
    "Partner",
]
EVENTS = ["signed-in", "invited-teammate", "created-project", "upgraded-plan", "exported-report"]
NOTES = [
    "Asked about SSO on the enterprise plan.",
    "Prefers email over chat.",
    "Renewal call booked for next month.",
    "Reported a bug in CSV export; workaround shared.",
    "Interested in the analytics add-on.",
    "Onboarding call went well.",
]
CONTACT_COUNT = 200
DAY = 86_400


def seed_workspace(store: Store, workspace: Workspace, seed: str) -> Workspace:
    """Give a workspace its contents: `demo` only to a new workspace, which it fills in one go."""
    with store.populating(workspace.id) if seed == "demo" else store.atomic():
        owner = create_admin(store, workspace, **OWNER)
        workspace = store.update_workspace(workspace, owner_admin_id=owner["id"], seed=seed)
        if seed == "demo":
            DemoSeeder(store, workspace).run()
    return workspace


def ascii_local_part(name: str) -> str:
    """Names keep their accents; email addresses do not (`Tomás O'Brien` -> `tomas.obrien`)."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


class DemoSeeder:
    """Builds the demo workspace. After the people are made, resource modules' `seed_demo` hooks
    can use `admin_ids` (the owner first), `contacts`, `users`, `companies` and `tags`."""

    admin_ids: list[str]
    contacts: list[dict[str, Any]]
    users: list[dict[str, Any]]
    companies: list[dict[str, Any]]
    tags: list[dict[str, Any]]

    def __init__(self, store: Store, workspace: Workspace) -> None:
        self.store = store
        self.workspace = workspace
        self.rng = random.Random(f"demo:{workspace.id}")
        self.now = store.now(workspace)

    def ago(self, max_days: int) -> int:
        return self.now - self.rng.randint(0, max_days * DAY)

    def run(self) -> None:
        store, ws, rng = self.store, self.workspace, self.rng
        admins = [
            create_admin(store, ws, name=name, email=email, job_title=title)
            for name, email, title in DEMO_ADMINS
        ]
        admin_ids = [ws.owner_admin_id or "", *(admin["id"] for admin in admins)]
        create_team(store, ws, name="Support", admin_ids=admin_ids[:3])
        create_team(store, ws, name="Success", admin_ids=[admin_ids[3]])
        create_team(store, ws, name="Billing", admin_ids=[admin_ids[4]])

        for name, data_type in (
            ("plan", "string"),
            ("seats", "integer"),
            ("mrr", "float"),
            ("beta_tester", "boolean"),
            ("renewal_date", "date"),
        ):
            create_data_attribute(store, ws, model="contact", name=name, data_type=data_type)
        create_subscription_type(store, ws, name="Newsletter", consent_type="opt_out")
        create_subscription_type(store, ws, name="Product updates", consent_type="opt_in")

        tags = [create_tag(store, ws, name) for name in TAGS]
        companies = [
            create_company(
                store,
                ws,
                {
                    "company_id": f"company-{index + 1:03d}",
                    "name": name,
                    "plan": rng.choice(PLANS),
                    "industry": rng.choice(INDUSTRIES),
                    "size": rng.choice([5, 12, 40, 120, 600, 2500]),
                    "monthly_spend": rng.choice([0, 49, 199, 990, 4900]),
                    "website": f"https://{name.lower().replace(' ', '')}.example",
                    "remote_created_at": self.ago(900),
                },
            )
            for index, name in enumerate(COMPANIES)
        ]
        for company in rng.sample(companies, 5):
            tag_company(store, ws, company["id"], rng.choice(tags)["id"], admin_ids[0])

        contacts = [self._contact(create_contact, index) for index in range(CONTACT_COUNT)]
        users = [contact for contact in contacts if contact["role"] == "user"]
        for contact in users:
            for company in rng.sample(companies, rng.choice([1, 1, 1, 2])):
                attach_contact(store, ws, contact["id"], company["id"])
        for contact in rng.sample(contacts, 80):
            for tag in rng.sample(tags, rng.randint(1, 3)):
                tag_contact(store, ws, contact["id"], tag["id"], rng.choice(admin_ids))
        for contact in rng.sample(users, 40):
            create_note(store, ws, contact["id"], rng.choice(NOTES), rng.choice(admin_ids))
        for contact in rng.sample(users, 60):
            for _ in range(rng.randint(1, 4)):
                record_event(
                    store,
                    ws,
                    contact["id"],
                    rng.choice(EVENTS),
                    self.ago(60),
                    {"source": rng.choice(["web", "ios", "android"])},
                )
        self.admin_ids, self.contacts, self.users = admin_ids, contacts, users
        self.companies, self.tags = companies, tags
        create_segment(store, ws, "Active users", "user", [c["id"] for c in users[: len(users) // 2]])
        create_segment(store, ws, "All leads", "contact", [c["id"] for c in contacts if c["role"] == "lead"])
        create_segment(store, ws, "Enterprise accounts", "user", [c["id"] for c in rng.sample(users, 15)])
        for index in range(3):
            create_visitor(store, ws, {"name": f"Visitor {index + 1}", "user_id": f"visitor-{index + 1}"})
        self._seed_resources()

    def _seed_resources(self) -> None:
        """Resources beyond the people add their own demo data: a module may define
        `seed_demo(seeder)`, run in ascending `SEED_ORDER` (default 100), then by name."""
        modules = [module for module in resource_modules() if hasattr(module, "seed_demo")]
        for module in sorted(
            modules, key=lambda module: (getattr(module, "SEED_ORDER", 100), module.__name__)
        ):
            module.seed_demo(self)

    def _contact(self, create_contact: Any, index: int) -> dict[str, Any]:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        is_user = rng.random() < 0.75
        created_at = self.ago(720)
        fields: dict[str, Any] = {
            "role": "user" if is_user else "lead",
            "name": f"{first} {last}",
            "email": f"{ascii_local_part(first)}.{ascii_local_part(last)}{index}@example.com",
            "phone": f"+1555{rng.randint(1_000_000, 9_999_999)}",
            "last_seen_at": min(created_at + rng.randint(0, 300) * DAY, self.now),
            "custom_attributes": {
                "plan": rng.choice(PLANS),
                "seats": rng.randint(1, 250),
                "mrr": round(rng.uniform(0, 5000), 2),
                "beta_tester": rng.random() < 0.2,
                "renewal_date": self.now + rng.randint(1, 365) * DAY,
            },
        }
        if is_user:
            fields["external_id"] = f"user-{index + 1:04d}"
            fields["signed_up_at"] = created_at
        fields["created_at"] = created_at
        return create_contact(self.store, self.workspace, fields)
