"""Ids in Intercom's formats, ordered as Intercom's are."""

from fake_intercom import Sandbox


def test_object_ids_of_one_second_follow_creation_order() -> None:
    """Intercom's 24-hex ids are ObjectIds (time, a fixed random part, a counter), so those made in the
    same second still sort in creation order, and so do lists and searches that break ties by id."""
    with Sandbox.in_process() as sandbox:
        workspace = sandbox.create_workspace()
        workspace.clock.freeze(1_767_225_600)
        with workspace.client() as api:
            made = [
                api.post("/contacts", json={"email": f"same-second-{n}@example.com"}).json() for n in range(5)
            ]
            ids = [contact["id"] for contact in made]
            assert ids == sorted(ids)
            assert {contact["created_at"] for contact in made} == {1_767_225_600}
            query = {"operator": "OR", "value": [{"field": "id", "operator": "=", "value": i} for i in ids]}
            found = api.post("/contacts/search", json={"query": query}).json()
            assert [contact["id"] for contact in found["data"]] == ids[::-1]
