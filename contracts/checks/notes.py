import httpx

from contracts.checks import check, expect_error, parse
from contracts.checks.companies import a_company, a_contact
from contracts.models.notes import Note, NoteList


@check(writes=True)
def notes_are_created_listed_and_found(api: httpx.Client) -> None:
    with a_contact(api) as contact_id:
        note = parse(Note, api.post(f"/contacts/{contact_id}/notes", json={"body": "Hello"}))
        assert note.body == "<p>Hello</p>"
        assert note.contact is not None and note.contact.id == contact_id
        assert note.author is not None and note.author["type"] == "admin"
        listed = parse(NoteList, api.get(f"/contacts/{contact_id}/notes"))
        assert [n.id for n in listed.data] == [note.id] and listed.total_count == 1
        assert parse(Note, api.get(f"/notes/{note.id}")).body == note.body


@check(writes=True)
def note_errors(api: httpx.Client) -> None:
    expect_error(api.post("/contacts/000000000000000000000000/notes", json={"body": "x"}), 404, "not_found")
    expect_error(api.get("/notes/1"), 404, "not_found")
    with a_contact(api) as contact_id:
        unknown_admin = api.post(f"/contacts/{contact_id}/notes", json={"body": "x", "admin_id": 1})
        expect_error(unknown_admin, 404, "not_found")


@check(writes=True)
def company_notes_are_listed(api: httpx.Client) -> None:
    with a_company(api) as company:
        notes = parse(NoteList, api.get(f"/companies/{company.id}/notes"))
        assert notes.data == [] and notes.total_count == 0
    expect_error(api.get("/companies/000000000000000000000000/notes"), 404, "company_not_found")
