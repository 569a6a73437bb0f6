from tests.inspector.conftest import assert_page


def test_the_articles_and_one_as_a_reader_sees_it(inspected) -> None:
    listed = inspected.api.get("/articles").json()
    html = assert_page(inspected.page("/articles"), "Help center articles", listed["data"][0]["title"])
    assert "Page 1 of" in html
    article = inspected.api.post(
        "/articles",
        json={
            "title": "Inspected <article>",
            "author_id": int(inspected.api.get("/me").json()["id"]),
            "body": "<p>Steps <em>here</em></p><script>alert(3)</script>",
            "state": "published",
        },
    ).json()
    html = assert_page(
        inspected.page(f"/articles/{article['id']}"), "Inspected &lt;article&gt;", "<em>here</em>"
    )
    assert "<script>alert(3)" not in html


def test_an_unknown_article_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/articles/999999"), status=404)
