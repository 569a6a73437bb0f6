"""The demo workspace's conversations: played through the same domain functions as the API, with
the workspace clock set back to when each event happened."""

from typing import Any

from fake_intercom.errors import admin_not_found, require
from fake_intercom.resources import _conversation_store as cs
from fake_intercom.resources._parts import admin_author
from fake_intercom.store import Store, Workspace

# -- demo data --------------------------------------------------------------------------------------

OPENERS = [
    "Hi, I can't log in since this morning. Can you help?",
    "How do I export my invoices as CSV?",
    "Our team needs SSO, is it on the enterprise plan?",
    "The dashboard is really slow today.",
    "Can I change the email address on my account?",
    "I was charged twice this month, please check.",
    "Is there an API to create projects automatically?",
    "The mobile app crashes when I upload a photo.",
    "How do I invite my teammates?",
    "We'd like a demo of the analytics add-on.",
]
ADMIN_REPLIES = [
    "Thanks for reaching out! Let me look into this for you.",
    "Could you send me a screenshot of what you see?",
    "I've escalated this to our engineers, I'll keep you posted.",
    "That should be fixed now, can you try again?",
    "Here's the guide that walks you through it.",
]
CONTACT_REPLIES = [
    "Thanks, that worked!",
    "Still seeing the problem, sorry.",
    "Here's the screenshot.",
    "Great, thank you!",
]
NOTES = ["Customer is on the pro plan.", "Possibly related to the outage on Tuesday.", "Follow up next week."]
CONVERSATION_COUNT = 60
TAGS_ON = 20
RATED = 12


def seed_conversations(seeder: Any) -> None:
    """About sixty conversations across every state, built through the same actions as the API."""
    store, rng, base = seeder.store, seeder.rng, seeder.workspace
    contacts = [c for c in seeder.contacts]
    ids: list[str] = []
    for index in range(CONVERSATION_COUNT):
        start = seeder.ago(30)
        workspace = _at(store, base, start)
        contact = rng.choice(contacts)
        admin_id = rng.choice(seeder.admin_ids)
        if index % 6 == 5:
            conversation = cs.start_from_admin(
                store, workspace, admin_id, [contact["id"]], rng.choice(ADMIN_REPLIES), created_at=start
            )
        else:
            conversation, _ = cs.start_from_contact(
                store, workspace, contact, rng.choice(OPENERS), created_at=start
            )
        ids.append(conversation["id"])
        _play(store, base, conversation, contact, admin_id, start, index, rng, seeder.admin_ids)
    _decorate(seeder, ids)


def _at(store: Store, workspace: Workspace, when: int) -> Workspace:
    """The workspace as seen at `when`, so the seeded actions carry their own times."""
    return Workspace(**{**workspace.__dict__, "clock_frozen_at": when})


def _play(
    store: Store,
    base: Workspace,
    conversation: dict[str, Any],
    contact: dict[str, Any],
    admin_id: str,
    start: int,
    index: int,
    rng: Any,
    admin_ids: list[str],
) -> None:
    now = store.now(base)
    clock = start
    steps = rng.randint(0, 5)

    def tick() -> Workspace:
        nonlocal clock
        clock = min(now, clock + rng.randint(60, 6 * 3600))
        return _at(store, base, clock)

    author = require(admin_author(store, base.id, admin_id), admin_not_found)
    if conversation["state"] == "closed" and steps:
        cs.contact_reply(store, tick(), conversation, contact, rng.choice(CONTACT_REPLIES), created_at=clock)
    for step in range(steps):
        workspace = tick()
        roll = rng.random()
        if step == 0 and roll < 0.6:
            cs.assign(store, workspace, conversation, author, "admin", int(admin_id))
        elif roll < 0.45:
            cs.admin_reply(store, workspace, conversation, author, "comment", rng.choice(ADMIN_REPLIES))
        elif roll < 0.6:
            cs.admin_reply(store, workspace, conversation, author, "note", rng.choice(NOTES))
        else:
            cs.contact_reply(
                store, workspace, conversation, contact, rng.choice(CONTACT_REPLIES), created_at=clock
            )
    ending = index % 5
    workspace = tick()
    if ending in (0, 1) and conversation["state"] != "closed":
        cs.close(store, workspace, conversation, author, None)
    elif ending == 2:
        cs.snooze(store, workspace, conversation, author, now + rng.randint(1, 72) * 3600)
    elif ending == 3 and rng.random() < 0.5:
        other = rng.choice(admin_ids)
        cs.assign(
            store,
            workspace,
            conversation,
            require(admin_author(store, base.id, other), admin_not_found),
            "admin",
            int(other),
        )
    if index % 7 == 0:
        conversation["priority"] = rng.choice(cs.PRIORITY_LEVELS[1:])
    conversation["read"] = conversation["state"] == "closed" or rng.random() < 0.3
    cs.save(store, base.id, conversation)


def _decorate(seeder: Any, ids: list[str]) -> None:
    store, rng, workspace = seeder.store, seeder.rng, seeder.workspace
    if seeder.tags:
        for conversation_id in rng.sample(ids, min(TAGS_ON, len(ids))):
            for tag in rng.sample(seeder.tags, rng.randint(1, 2)):
                cs.tag_conversation(store, workspace, conversation_id, tag["id"], seeder.admin_ids[0])
    closed = [
        row["id"]
        for row in store.query(
            "SELECT id FROM conversations WHERE workspace_id = ? AND state = 'closed'", (workspace.id,)
        )
    ]
    for conversation_id in rng.sample(closed, min(RATED, len(closed))):
        conversation = cs.load(store, workspace.id, conversation_id)
        if conversation is None:
            continue
        contact_id = cs.contact_ids(store, workspace.id, conversation_id)[0]
        rated_at = conversation["updated_at"]
        teammate = conversation["admin_assignee_id"] or int(seeder.admin_ids[0])
        conversation["conversation_rating"] = {
            "rating": rng.randint(1, 5),
            "remark": rng.choice([None, "Quick and helpful", "Took a while", "Solved!"]),
            "created_at": rated_at,
            "updated_at": rated_at,
            "contact": {"type": "contact", "id": contact_id, "external_id": None},
            "teammate": {"type": "admin", "id": str(teammate)},
        }
        cs.save(store, workspace.id, conversation)
    for conversation_id in ids[:5]:
        admin_id = seeder.admin_ids[1 % len(seeder.admin_ids)]
        cs.record_handling_event(store, workspace, conversation_id, admin_id, "paused", "Paused")
        cs.record_handling_event(store, workspace, conversation_id, admin_id, "resumed")
