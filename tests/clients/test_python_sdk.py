"""Intercom's official Python SDK (python-intercom), unmodified, does its reference work against the fake over HTTP:
admins, contacts, companies, tags, notes, search, pagination of every list it exposes, and its error classes."""

import time
import uuid

import pytest

intercom = pytest.importorskip("intercom")

from intercom import Intercom  # noqa: E402
from intercom.conversations.types import CreateConversationRequestFrom  # noqa: E402
from intercom.core.api_error import ApiError  # noqa: E402
from intercom.errors import BadRequestError, NotFoundError, UnauthorizedError  # noqa: E402
from intercom.types import (  # noqa: E402
    CreateArticleRequest,
    CreateContactRequestWithEmail,
    CreateContactRequestWithRole,
    CreateDataAttributeRequestOne,
    CreateDataEventRequestWithId,
    CreateOrUpdateCompanyRequest,
    CreateOrUpdateTagRequest,
    MultipleFilterSearchRequest,
    SingleFilterSearchRequest,
    StartingAfterPaging,
)

from tests.conftest import new_workspace  # noqa: E402


@pytest.fixture
def client(app, server_url) -> Intercom:
    _, token = new_workspace(app)
    return Intercom(token=token, base_url=server_url)


def test_admins_and_teams(client: Intercom) -> None:
    me = client.admins.identify()
    assert me.type == "admin" and me.app.id_code
    assert any(admin.id == me.id for admin in client.admins.list().admins)
    assert client.admins.find(me.id).email == me.email


def test_contact_company_tag_and_note_work(client: Intercom) -> None:
    suffix = uuid.uuid4().hex[:8]
    user = client.contacts.create(request=CreateContactRequestWithEmail(email=f"ada-{suffix}@example.com"))
    assert user.type == "contact" and user.role == "user"
    lead = client.contacts.create(request=CreateContactRequestWithRole(role="lead"))

    found = client.contacts.find(user.id)
    assert found.email == f"ada-{suffix}@example.com"
    updated = client.contacts.update(user.id, name="Ada Lovelace")
    assert updated.name == "Ada Lovelace"

    company = client.companies.create_or_update(
        request=CreateOrUpdateCompanyRequest(company_id=f"acme-{suffix}", name="Acme")
    )
    client.companies.attach_contact(user.id, company_id=company.id)
    attached = client.contacts.list_attached_companies(user.id)
    assert [c.id for c in attached] == [company.id]

    tag = client.tags.create(request=CreateOrUpdateTagRequest(name=f"vip-{suffix}"))
    assert client.tags.tag_contact(user.id, tag_id=tag.id).name == tag.name
    assert [t.id for t in client.contacts.list_attached_tags(user.id).data] == [tag.id]

    note = client.notes.create(user.id, body="Prefers email", admin_id=client.admins.identify().id)
    assert "Prefers email" in note.body
    assert [n.id for n in client.notes.list(user.id)] == [note.id]

    search = client.contacts.search(
        query=MultipleFilterSearchRequest(
            operator="AND",
            value=[
                SingleFilterSearchRequest(field="email", operator="=", value=f"ada-{suffix}@example.com"),
                SingleFilterSearchRequest(field="tag_id", operator="=", value=tag.id),
            ],
        ),
        pagination=StartingAfterPaging(per_page=5),
    )
    assert [c.id for c in search] == [user.id]

    client.tags.untag_contact(user.id, tag.id)
    assert client.contacts.list_attached_tags(user.id).data == []

    merged = client.contacts.merge_lead_in_user(lead_id=lead.id, contact_id=user.id)
    assert merged.id == user.id
    with pytest.raises(ApiError) as missing:
        client.contacts.find(lead.id)
    assert missing.value.status_code == 404

    assert client.contacts.archive(user.id).archived is True
    assert client.contacts.unarchive(user.id).archived is False
    assert client.contacts.delete(user.id).deleted is True


def test_pagination_visits_every_contact_once(client: Intercom) -> None:
    created = {
        client.contacts.create(
            request=CreateContactRequestWithEmail(email=f"p{i}-{uuid.uuid4().hex[:6]}@example.com")
        ).id
        for i in range(7)
    }
    seen = [contact.id for contact in client.contacts.list(per_page=3)]
    assert sorted(seen) == sorted(created)


def test_errors_carry_intercoms_shape(client: Intercom) -> None:
    with pytest.raises(ApiError) as error:
        client.contacts.find("000000000000000000000000")
    assert error.value.status_code == 404
    assert error.value.body["type"] == "error.list"
    assert error.value.body["errors"][0]["code"] == "not_found"


def test_admin_avatars_and_activity_logs(client: Intercom) -> None:
    me = client.admins.identify()
    assert me.avatar is not None and me.avatar.type == "avatar"
    assert client.admins.find(me.id).avatar.image_url == me.avatar.image_url
    client.admins.away(me.id, away_mode_enabled=True, away_mode_reassign=False)
    logs = client.admins.list_all_activity_logs(created_at_after="2020-01-01T00:00:00Z")
    assert [log.activity_type for log in logs.activity_logs] == ["admin_away_mode_change"]


def test_every_list_pages_to_its_end(client: Intercom) -> None:
    """Each pager of the SDK visits every object once and stops: cursor, page-number and scroll."""
    suffix = uuid.uuid4().hex[:8]
    admin_id = client.admins.identify().id
    user = client.contacts.create(request=CreateContactRequestWithEmail(email=f"pager-{suffix}@example.com"))
    companies = set()
    for index in range(5):
        company = client.companies.create_or_update(
            request=CreateOrUpdateCompanyRequest(company_id=f"pager-{index}-{suffix}", name=f"Pager {index}")
        )
        client.companies.attach_contact(user.id, company_id=company.id)
        companies.add(company.id)
    assert {c.id for c in client.companies.list(per_page=2)} == companies
    assert {c.id for c in client.companies.scroll()} == companies
    assert {c.id for c in client.contacts.list_attached_companies(user.id, per_page=2)} == companies
    notes = {client.notes.create(user.id, body=f"Note {i}", admin_id=admin_id).id for i in range(3)}
    assert {n.id for n in client.notes.list(user.id, per_page=2)} == notes
    conversations = {
        client.conversations.create(
            from_=CreateConversationRequestFrom(type="user", id=user.id), body=f"Q{i}"
        ).conversation_id
        for i in range(3)
    }
    assert {c.id for c in client.conversations.list(per_page=2)} == conversations
    collection = client.help_centers.collections.create(name=f"Pager {suffix}")
    assert [c.id for c in client.help_centers.collections.list(per_page=1)] == [collection.id]
    assert len(list(client.help_centers.list())) == 1
    articles = {
        client.articles.create(
            request=CreateArticleRequest(
                title=f"Article {i}", author_id=int(admin_id), parent_id=int(collection.id)
            )
        ).id
        for i in range(3)
    }
    assert {a.id for a in client.articles.list(per_page=2)} == articles


def test_search_pages_by_hand(client: Intercom) -> None:
    """The SDK's search pager asks for its first page again and again (its bug, on the live API too,
    FIDELITY §11.7): the cursor is passed by hand, as its users do."""
    suffix = uuid.uuid4().hex[:8]
    made = {
        client.contacts.create(request=CreateContactRequestWithEmail(email=f"s{i}-{suffix}@example.com")).id
        for i in range(5)
    }
    query = SingleFilterSearchRequest(field="email", operator="~", value=suffix)
    seen, cursor = [], None
    while True:
        page = client.contacts.search(
            query=query, pagination=StartingAfterPaging(per_page=2, starting_after=cursor)
        )
        seen += [contact.id for contact in page.items]
        cursor = page.response.pages.next.starting_after if page.response.pages.next else None
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)


def test_tags_articles_collections_events_and_data_attributes(client: Intercom) -> None:
    suffix = uuid.uuid4().hex[:8]
    admin_id = client.admins.identify().id
    tag = client.tags.create(request=CreateOrUpdateTagRequest(name=f"t-{suffix}"))
    assert client.tags.find(tag.id).name == tag.name
    assert tag.id in {t.id for t in client.tags.list().data}
    client.tags.delete(tag.id)
    with pytest.raises(NotFoundError):
        client.tags.find(tag.id)

    collection = client.help_centers.collections.create(name=f"Guides {suffix}")
    assert client.help_centers.collections.update(int(collection.id), name="How-to").name == "How-to"
    article = client.articles.create(
        request=CreateArticleRequest(title="Refunds", author_id=int(admin_id), parent_id=int(collection.id))
    )
    assert article.state == "draft"
    published = client.articles.update(int(article.id), state="published", body="<p>Steps</p>")
    assert published.state == "published"
    assert client.articles.find(int(article.id)).title == "Refunds"
    assert client.articles.delete(int(article.id)).deleted is True
    assert client.help_centers.collections.delete(int(collection.id)).deleted is True

    user = client.contacts.create(request=CreateContactRequestWithEmail(email=f"events-{suffix}@example.com"))
    for name in ("invited-friend", "exported-report"):
        client.events.create(
            request=CreateDataEventRequestWithId(id=user.id, event_name=name, created_at=int(time.time()))
        )
    events = client.events.list(type="user", intercom_user_id=user.id)
    assert {event.event_name for event in events.events} == {"invited-friend", "exported-report"}

    attribute = client.data_attributes.create(
        request=CreateDataAttributeRequestOne(name=f"tier_{suffix}", model="contact", data_type="string")
    )
    archived = client.data_attributes.update(attribute.id, request={"archived": True})
    assert archived.archived is True
    listed = client.data_attributes.list(model="contact", include_archived=True).data
    assert attribute.id in {a.id for a in listed}


def test_error_classes(app, server_url, client: Intercom) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.companies.find("000000000000000000000000")
    assert missing.value.body["errors"][0]["code"] == "company_not_found"
    with pytest.raises(UnauthorizedError) as unknown:
        Intercom(token="not-a-token", base_url=server_url).tags.list()
    assert unknown.value.body.errors[0].code == "unauthorized"
    # Every 401 code is the SDK's UnauthorizedError, a revoked token's too. (It cannot send a request
    # without credentials: an empty token is a header httpx refuses before sending.)
    _, revoked = new_workspace(app)
    app.state.store.revoke_token(revoked)
    with pytest.raises(UnauthorizedError) as revoked_error:
        Intercom(token=revoked, base_url=server_url).tags.list()
    assert revoked_error.value.body.errors[0].code == "token_revoked"
    with pytest.raises(BadRequestError) as bad:
        client.companies.create_or_update(request={"company_id": "x", "test": "unknown key"})
    assert bad.value.body["errors"][0]["code"] == "bad_request"
    with pytest.raises(ApiError) as search:
        client.contacts.search(query=SingleFilterSearchRequest(field="role", operator="=", value=5))
    assert search.value.status_code == 400 and search.value.body["errors"][0]["code"] == "parameter_invalid"
