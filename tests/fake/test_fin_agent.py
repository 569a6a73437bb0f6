"""The sandbox Fin: answers from published content, escalates, resolves, records CSAT."""

import httpx

from fake_intercom.resources.fin_agent import find_conversation
from tests.fake.test_articles import new_article
from tests.fake.test_help_center import error_of

USER = {"id": "user-456", "name": "John Doe", "email": "john@example.com"}


def say(
    api: httpx.Client, path: str, conversation: str, text: str, timestamp: str | None = None
) -> httpx.Response:
    message = {"author": "user", "body": text, "timestamp": timestamp or "2025-01-24T10:01:20.000Z"}
    return api.post(path, json={"conversation_id": conversation, "message": message, "user": USER})


def events(app, workspace, conversation: str) -> list[dict]:
    return find_conversation(app.state.store, workspace[0].id, conversation)["events"]


def test_answers_from_a_published_article(api: httpx.Client, app, workspace) -> None:
    article = new_article(
        api,
        workspace,
        "Exporting your data",
        body="Go to Settings and choose Export. The CSV arrives by email within minutes. Big exports take longer.",
        state="published",
    )
    new_article(api, workspace, "Exporting secrets", body="Draft only: export keys.")  # a draft is not used
    started = say(api, "/fin/start", "ext-1", "How do I export my data as CSV?")
    assert started.status_code == 200, started.text
    body = started.json()
    assert body["conversation_id"] == "ext-1" and body["user_id"] == "user-456"
    assert body["status"] == "awaiting_user_reply"
    assert body["created_at_ms"].endswith(".000Z") and "T" in body["created_at_ms"]
    replied = events(app, workspace, "ext-1")[-1]
    assert replied["event_name"] == "fin_replied" and replied["message"]["author"] == "fin"
    assert (
        "Go to Settings and choose Export. The CSV arrives by email within minutes."
        in replied["message"]["body"]
    )
    assert "Big exports" not in replied["message"]["body"]
    assert article["url"] in replied["message"]["body"]
    topics = app.state.store.query(
        "SELECT topic FROM notifications WHERE workspace_id = ? ORDER BY created_at", (workspace[0].id,)
    )
    assert "fin_replied" in {row["topic"] for row in topics}

    thanks = say(api, "/fin/reply", "ext-1", "Thanks, that helped!", "2025-01-24T10:02:00.000Z").json()
    assert thanks["status"] == "resolved"
    names = [e["event_name"] for e in events(app, workspace, "ext-1")]
    assert names[-3:] == ["fin_status_updated", "fin_status_updated", "csat_requested"]
    assert [e.get("status") for e in events(app, workspace, "ext-1")[-3:-1]] == ["resolved", "complete"]
    late = say(api, "/fin/reply", "ext-1", "One more thing", "2025-01-24T10:03:00.000Z")
    assert error_of(late, 400)["code"] == "parameter_invalid"

    rated = api.post("/fin/csat", json={"conversation_id": "ext-1", "rating": "good"})
    assert rated.json() == {"conversation_id": "ext-1", "rating": "good", "status": "rated"}
    assert api.post("/fin/csat", json={"conversation_id": "ext-1", "rating": "good"}).status_code == 200
    changed = api.post("/fin/csat", json={"conversation_id": "ext-1", "rating": "amazing", "remark": "Fast!"})
    assert changed.json()["rating"] == "amazing"
    locked = api.post("/fin/csat", json={"conversation_id": "ext-1", "rating": "bad"})
    assert locked.status_code == 422 and "remark" in locked.json()["errors"]["base"]
    csat = find_conversation(app.state.store, workspace[0].id, "ext-1")["csat"]
    assert csat == {"requested": True, "rating": "amazing", "remark": "Fast!"}


def test_no_match_offers_then_escalates(api: httpx.Client, app, workspace) -> None:
    new_article(api, workspace, "Billing", body="Invoices are emailed monthly.", state="published")
    started = say(api, "/fin/start", "ext-2", "Where is the spaceship hangar?").json()
    assert started["status"] == "awaiting_user_reply"
    assert "couldn't find an answer" in events(app, workspace, "ext-2")[-1]["message"]["body"]
    escalated = say(api, "/fin/reply", "ext-2", "Yes please", "2025-01-24T10:05:00.000Z").json()
    assert escalated["status"] == "escalated"
    updates = [e for e in events(app, workspace, "ext-2") if e["event_name"] == "fin_status_updated"]
    assert [u["status"] for u in updates] == ["escalated", "complete"]
    assert updates[0]["reason"] == "Escalation requested by user"
    no_survey = api.post("/fin/csat", json={"conversation_id": "ext-2", "rating": "ok"})
    assert no_survey.status_code == 422
    assert no_survey.json() == {"errors": {"base": "No rating survey found for this conversation"}}


def test_asking_for_a_human_escalates_at_once(api: httpx.Client) -> None:
    assert say(api, "/fin/start", "ext-3", "I want to talk to a human").json()["status"] == "escalated"


def test_resent_message_is_not_answered_twice(api: httpx.Client, app, workspace) -> None:
    new_article(
        api, workspace, "Login help", body="Reset your password from the login page.", state="published"
    )
    say(api, "/fin/start", "ext-4", "login broken")
    first = say(api, "/fin/reply", "ext-4", "password reset", "2025-01-24T11:00:00.000Z")
    count = len(events(app, workspace, "ext-4"))
    again = say(api, "/fin/reply", "ext-4", "password reset", "2025-01-24T11:00:00.000Z")
    assert again.json()["status"] == first.json()["status"] and len(events(app, workspace, "ext-4")) == count


def test_errors(api: httpx.Client) -> None:
    assert error_of(api.post("/fin/start", json={"message": {"body": "hi"}, "user": USER}), 400) == {
        "code": "parameter_invalid",
        "message": "conversation_id is required",
    }
    assert error_of(api.post("/fin/start", json={"conversation_id": "x", "user": USER}), 400)
    assert error_of(say(api, "/fin/reply", "nope", "hello"), 404)["code"] == "not_found"
    say(api, "/fin/start", "ext-5", "hello")
    assert error_of(say(api, "/fin/start", "ext-5", "hello"), 400)["code"] == "parameter_invalid"
    unknown = api.post("/fin/csat", json={"conversation_id": "nope", "rating": "ok"})
    assert unknown.status_code == 422 and "external_conversation_id" in unknown.json()["errors"]
    bad = api.post("/fin/csat", json={"conversation_id": "ext-5", "rating": "meh"})
    assert bad.json() == {"errors": {"rating": "Rating isn't an option"}}
