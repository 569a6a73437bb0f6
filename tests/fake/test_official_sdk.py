"""Intercom's official Python SDK, unmodified, does its reference work against the fake over HTTP."""

import uuid

import pytest

intercom = pytest.importorskip("intercom")

from intercom import Intercom  # noqa: E402
from intercom.core.api_error import ApiError  # noqa: E402
from intercom.types import (  # noqa: E402
    CreateContactRequestWithEmail,
    CreateContactRequestWithRole,
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
