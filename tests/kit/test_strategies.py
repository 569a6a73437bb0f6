"""`fake_intercom.strategies`: what they generate is what the fake (as Intercom) accepts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.requests import REQUEST_MODELS
from fake_intercom import strategies as ist
from fake_intercom.sandbox_client import SandboxWorkspace

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("operation_id", sorted(REQUEST_MODELS))
def test_every_body_operation_has_bodies_its_model_reads(operation_id: str) -> None:
    model = REQUEST_MODELS[operation_id]

    @settings(max_examples=5, deadline=None, derandomize=True)
    @given(ist.request_bodies(operation_id))
    def parsed(body):
        model.model_validate(body)

    parsed()


def test_fields_pin_values_or_leave_them_out() -> None:
    @SETTINGS
    @given(ist.request_bodies("CreateContact", role="lead", email=ist.ABSENT, name=st.just("Ada")))
    def pinned(body):
        assert body["role"] == "lead" and body["name"] == "Ada" and "email" not in body

    pinned()
    with pytest.raises(ValueError, match="no field"):
        ist.request_bodies("CreateContact", colour="red")
    with pytest.raises(ValueError, match="takes no body"):
        ist.request_bodies("ListContacts")


def ids(workspace: SandboxWorkspace, path: str, key: str, limit: int = 5) -> list[str]:
    with workspace.client() as client:
        return [item["id"] for item in client.get(path).json()[key][:limit]]


def accepted(workspace: SandboxWorkspace, strategy, method: str, path, examples: int = 10) -> None:
    """Every example of `strategy` gets a 2xx for `method path` (a path may be drawn: a strategy)."""
    paths = path if isinstance(path, st.SearchStrategy) else st.just(path)

    @settings(SETTINGS, max_examples=examples)
    @given(strategy, paths)
    def answered(body, where):
        with workspace.client(version="2.15") as client:
            response = client.request(method, where, json=body)
        assert response.is_success, (body, response.status_code, response.text)

    answered()


def test_standalone_records_are_accepted(empty: SandboxWorkspace) -> None:
    accepted(empty, ist.companies(), "POST", "/companies")
    accepted(empty, ist.tags(), "POST", "/tags")


def seeded_together(sandbox, records) -> None:
    """`records` seed a fresh workspace in full."""

    @settings(SETTINGS, max_examples=5)
    @given(records)
    def seeded(records):
        workspace = sandbox.create_workspace()
        try:
            created = workspace.seed(records=records)
            for collection, bodies in records.items():
                assert len(created.get(collection, [])) == len(bodies), collection
        finally:
            workspace.delete()

    seeded()


def test_names_unique_in_a_workspace_are_accepted_together(kit_sandbox) -> None:
    by_name = (lambda body: body["name"].lower(),)
    seeded_together(
        kit_sandbox,
        st.fixed_dictionaries(
            {
                "data_attributes": st.lists(ist.data_attributes(), unique_by=by_name, max_size=4),
                "ticket_types": st.lists(ist.ticket_types(), unique_by=by_name, max_size=3),
            }
        ),
    )


def test_contacts_with_custom_attributes_are_accepted(kit_sandbox) -> None:
    types = {"plan": "string", "seats": "integer", "score": "float", "paid": "boolean", "renews": "date"}

    @settings(SETTINGS, max_examples=8)
    @given(ist.unique_contacts(max_size=5, custom_attributes=types))
    def seeded(people):
        workspace = kit_sandbox.create_workspace()
        try:
            attributes = [
                {"name": name, "model": "contact", "data_type": kind} for name, kind in types.items()
            ]
            created = workspace.seed(records={"data_attributes": attributes, "contacts": people})
            assert len(created.get("contacts", [])) == len(people)
        finally:
            workspace.delete()

    seeded()


def test_records_about_the_demo_workspace_are_accepted(demo: SandboxWorkspace) -> None:
    admins = ids(demo, "/admins", "admins")
    contacts = ids(demo, "/contacts", "data")
    conversations = ids(demo, "/conversations", "conversations")
    with demo.client() as client:
        ticket_types = client.get("/ticket_types").json()["data"]
    accepted(demo, ist.conversations(contact_ids=contacts), "POST", "/conversations")
    accepted(demo, ist.messages(admin_ids=admins, contact_ids=contacts), "POST", "/messages")
    accepted(
        demo,
        ist.replies(admin_ids=admins),
        "POST",
        st.sampled_from(conversations).map("/conversations/{}/reply".format),
    )
    accepted(
        demo, ist.notes(admin_ids=admins), "POST", st.sampled_from(contacts).map("/contacts/{}/notes".format)
    )
    accepted(demo, ist.events(contact_ids=contacts), "POST", "/events")
    for ticket_type in ticket_types:  # each with required attributes of its own
        accepted(
            demo, ist.tickets(ticket_type=ticket_type, contact_ids=contacts), "POST", "/tickets", examples=5
        )
    accepted(demo, ist.articles(author_ids=admins), "POST", "/articles")


@pytest.mark.parametrize("resource", sorted(ist.SEARCH_SPECS))
def test_search_queries_are_answered(demo: SandboxWorkspace, resource: str) -> None:
    accepted(
        demo,
        ist.request_bodies(ist.OPERATION_OF_SEARCH[resource]),
        "POST",
        f"/{resource}/search",
        examples=25,
    )


def test_search_queries_over_custom_attributes(demo: SandboxWorkspace) -> None:
    with demo.client() as client:
        attributes = client.get("/data_attributes", params={"model": "contact"}).json()["data"]
    custom = {
        a["name"]: a["data_type"]
        for a in attributes
        if a["custom"] and a["data_type"] in ("string", "integer", "float", "boolean", "date")
    }
    assert custom, "the demo workspace has custom contact attributes"
    queries = ist.search_queries(
        "contacts", custom_attributes=custom, fields=[f"custom_attributes.{name}" for name in custom]
    )
    accepted(demo, queries.map(lambda query: {"query": query}), "POST", "/contacts/search")


def test_queries_stay_within_intercoms_limits() -> None:
    def depth(query) -> int:
        return 0 if "field" in query else 1 + max(depth(member) for member in query["value"])

    @SETTINGS
    @given(ist.search_queries("tickets", max_group_size=15))
    def limited(query):
        assert depth(query) <= 2
        stack = [query]
        while stack:
            node = stack.pop()
            if "field" not in node:
                assert 1 <= len(node["value"]) <= 15
                stack += node["value"]

    limited()
    with pytest.raises(ValueError):
        ist.search_queries("conversations", custom_attributes={"plan": "string"})
    with pytest.raises(ValueError):
        ist.search_queries("companies")


def test_workspaces_seed_through_the_control_plane(kit_sandbox) -> None:
    seeded_together(kit_sandbox, ist.workspaces())
