from tests.inspector.conftest import assert_page


def test_rules_with_how_often_they_fired(inspected) -> None:
    control = f"/_sandbox/workspaces/{inspected.workspace_id}/faults"
    rule = inspected.ui.post(
        control, json={"action": "error", "status": 503, "path": "/segments", "times": 2}
    ).json()
    try:
        assert inspected.api.get("/segments").status_code == 503
        html = assert_page(inspected.page("/faults"), rule["id"], "/segments", "503", "Add a rule")
        row = html.split(f"<td>{rule['id']}</td>")[1].split("</tr>")[0]
        assert "<strong>1</strong>" in row
        assert f"{control}/{rule['id']}" in html
    finally:
        inspected.ui.delete(f"{control}/{rule['id']}")
    assert "No fault rules" in assert_page(inspected.page("/faults"))
