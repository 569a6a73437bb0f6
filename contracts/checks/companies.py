import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.common import DeletedObject
from contracts.models.companies import Company, CompanyAttachedContacts, CompanyAttachedSegments, CompanyList


@contextmanager
def a_contact(api: httpx.Client) -> Iterator[str]:
    """A throwaway contact, deleted afterwards."""
    email = f"contract-{uuid.uuid4().hex[:12]}@example.com"
    contact_id = body(api.post("/contacts", json={"role": "user", "email": email}))["id"]
    try:
        yield contact_id
    finally:
        api.delete(f"/contacts/{contact_id}")


@contextmanager
def a_company(api: httpx.Client, **fields: object) -> Iterator[Company]:
    """A throwaway company, deleted afterwards."""
    company_id = f"contract-{uuid.uuid4().hex[:12]}"
    company = parse(Company, api.post("/companies", json={"company_id": company_id, **fields}))
    try:
        yield company
    finally:
        api.delete(f"/companies/{company.id}")


@check(writes=True)
def companies_are_upserted_by_company_id(api: httpx.Client) -> None:
    with a_company(api, name="Contract Co", plan="Pro", size=12) as company:
        assert company.company_id and company.name == "Contract Co" and company.user_count == 0
        assert company.plan.get("name") == "Pro"
        again = parse(Company, api.post("/companies", json={"company_id": company.company_id, "size": 13}))
        assert again.id == company.id and again.size == 13 and again.name == "Contract Co"
        found = parse(Company, api.get("/companies", params={"company_id": company.company_id}))
        assert found.id == company.id
        updated = parse(Company, api.put(f"/companies/{company.id}", json={"name": "Contract Co 2"}))
        assert updated.name == "Contract Co 2" and updated.company_id == company.company_id
        assert parse(Company, api.get(f"/companies/{company.id}")).name == "Contract Co 2"


@check(writes=True)
def deleted_company_is_gone(api: httpx.Client) -> None:
    company_id = f"contract-{uuid.uuid4().hex[:12]}"
    company = parse(Company, api.post("/companies", json={"company_id": company_id}))
    deleted = parse(DeletedObject, api.delete(f"/companies/{company.id}"))
    assert deleted.id == company.id and deleted.object == "company" and deleted.deleted
    expect_error(api.get(f"/companies/{company.id}"), 404, "company_not_found")


@check(writes=True)
def unknown_company_keys_are_bad_request(api: httpx.Client) -> None:
    errors = expect_error(api.post("/companies", json={"test": "invalid"}), 400, "bad_request")
    assert errors.errors[0].message == "bad 'test' parameter"


@check()
def unknown_company_is_company_not_found(api: httpx.Client) -> None:
    for response in (
        api.get("/companies/000000000000000000000000"),
        api.get("/companies/000000000000000000000000/contacts"),
        api.get("/companies/000000000000000000000000/segments"),
        api.get("/companies", params={"company_id": f"missing-{uuid.uuid4().hex}"}),
    ):
        expect_error(response, 404, "company_not_found")


@check()
def company_list_page_size_is_at_most_60(api: httpx.Client) -> None:
    expect_error(api.post("/companies/list", params={"per_page": 61}), 400, "parameter_invalid")
    listed = parse(CompanyList, api.post("/companies/list", params={"per_page": 60}))
    assert listed.pages.per_page == 60


@check(writes=True)
def contacts_are_attached_and_detached(api: httpx.Client) -> None:
    with a_contact(api) as contact_id, a_company(api, name="Attached Co") as company:
        attached = parse(Company, api.post(f"/contacts/{contact_id}/companies", json={"id": company.id}))
        assert attached.id == company.id and attached.user_count == 1
        contacts = parse(CompanyAttachedContacts, api.get(f"/companies/{company.id}/contacts"))
        assert [contact["id"] for contact in contacts.data] == [contact_id]
        segments = parse(CompanyAttachedSegments, api.get(f"/companies/{company.id}/segments"))
        assert segments.data == []
        detached = parse(Company, api.delete(f"/contacts/{contact_id}/companies/{company.id}"))
        assert detached.user_count == 0


@check(writes=True)
def attaching_needs_a_known_company(api: httpx.Client) -> None:
    with a_contact(api) as contact_id:
        expect_error(api.post(f"/contacts/{contact_id}/companies", json={}), 400, "parameter_not_found")
        missing = api.post(f"/contacts/{contact_id}/companies", json={"id": "000000000000000000000000"})
        expect_error(missing, 404, "company_not_found")
