from tests.inspector.conftest import assert_page


def test_the_board_has_a_column_per_state_category(inspected) -> None:
    html = assert_page(
        inspected.page("/tickets"),
        "Submitted",
        "In progress",
        "Waiting on customer",
        "Resolved",
        "POST /tickets/search",
    )
    assert "Broken link in onboarding email" in html


def test_a_ticket_with_its_attributes_and_parts(inspected) -> None:
    found = inspected.api.post(
        "/tickets/search", json={"query": {"field": "state", "operator": "=", "value": "submitted"}}
    ).json()
    ticket = found["tickets"][0]
    assert_page(
        inspected.page(f"/tickets/{ticket['id']}"),
        ticket["ticket_attributes"]["_default_title_"],
        ticket["ticket_type"]["name"],
        "ticket.state.updated",
    )


def test_an_unknown_ticket_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/tickets/999999999"), status=404)
