"""A property test of a sync job: whatever happens to contacts in Intercom, the job's copy follows.

The job keeps a local copy of a workspace's contacts from a first full listing and then from the
notifications Intercom sends (created, archived, unarchived, deleted). Hypothesis draws what happens
to the contacts; the sandbox does it, sends the notifications to a local receiver, and the copy must
end up as Intercom holds them: every contact that is not deleted, archived ones marked archived.

Copy this file into your suite and put your own job in place of `ContactSync`.
"""

from collections import Counter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from connector import ConflictError
from fake_intercom import strategies as ist

TOPICS = [
    "contact.user.created",
    "contact.lead.created",
    "contact.archived",
    "contact.unarchive",
    "contact.deleted",
]


class ContactSync:
    """The integration under test: a local copy of the contacts, `{id: {"email", "archived"}}`."""

    def __init__(self, connector: Any) -> None:
        self.connector = connector
        self.copy: dict[str, dict[str, Any]] = {}

    def full_sync(self) -> None:
        for contact in self.connector.iter_cursor("/contacts", {"per_page": 50}):
            self.copy[contact["id"]] = {"email": contact["email"], "archived": False}

    def on_notification(self, topic: str, item: dict[str, Any]) -> None:
        if topic.endswith(".created"):
            self.copy[item["id"]] = {"email": item["email"], "archived": False}
        elif topic == "contact.archived":
            self.copy[item["id"]]["archived"] = True
        elif topic == "contact.unarchive":
            self.copy[item["id"]]["archived"] = False
        elif topic == "contact.deleted":
            self.copy.pop(item["id"], None)


UNUSED = ("owner_id", "avatar", "name", "phone", "signed_up_at", "last_seen_at", "unsubscribed_from_emails")
# What happens to the contacts: create one, or archive / unarchive / delete the n-th created.
events = st.lists(
    st.one_of(
        # Who the contacts are does not matter to the job: only role, email and external id vary.
        st.tuples(st.just("create"), ist.contacts(**dict.fromkeys(UNUSED, ist.ABSENT))),
        st.tuples(st.sampled_from(["archive", "unarchive", "delete"]), st.integers(0, 5)),
    ),
    max_size=8,
)


def apply(connector: Any, history: list[tuple[str, Any]]) -> tuple[dict[str, dict[str, Any]], Counter[str]]:
    """Do `history` in the workspace; what Intercom then holds (as the copy should), and how many
    notifications of each topic it sends about it."""
    expected: dict[str, dict[str, Any]] = {}
    created: list[str] = []
    topics: Counter[str] = Counter()
    for action, argument in history:
        if action == "create":
            try:
                contact = connector.call("POST", "/contacts", json=argument)
            except ConflictError:
                continue  # a contact with that email or external id exists: Intercom created nothing
            topics[f"contact.{contact['role']}.created"] += 1
            created.append(contact["id"])
            expected[contact["id"]] = {"email": contact["email"], "archived": False}
            continue
        if argument >= len(created) or created[argument] not in expected:
            continue
        contact_id = created[argument]
        if action == "delete":
            connector.call("DELETE", f"/contacts/{contact_id}")
            topics["contact.deleted"] += 1
            del expected[contact_id]
        else:
            connector.call("POST", f"/contacts/{contact_id}/{action}")
            topics["contact.archived" if action == "archive" else "contact.unarchive"] += 1
            expected[contact_id]["archived"] = action == "archive"
    return expected, topics


def check_sync(job_class: type, workspace: Any, connector: Any, receiver: Any, history: list) -> None:
    workspace.reset()  # every example starts from the same workspace (subscriptions stay)
    if not workspace.webhooks.subscriptions():
        workspace.webhooks.subscribe(receiver.url, TOPICS)
    receiver.received.clear()
    job = job_class(connector)
    job.full_sync()
    expected, topics = apply(connector, history)
    for topic, count in topics.items():
        receiver.wait_for(topic, count)
    for hook in receiver.received:
        job.on_notification(hook.topic, hook.item)
    assert job.copy == expected


@given(history=events)
def test_the_copy_follows_intercom(
    intercom_workspace, intercom_connector, intercom_webhook_receiver, history
):
    check_sync(ContactSync, intercom_workspace, intercom_connector, intercom_webhook_receiver, history)
