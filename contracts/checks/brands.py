import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.brands import Brand, BrandList


@check()
def brands_include_the_default_brand(api: httpx.Client) -> None:
    brands = parse(BrandList, api.get("/brands"))
    defaults = [brand for brand in brands.data if brand.is_default]
    assert len(defaults) == 1
    assert parse(Brand, api.get(f"/brands/{defaults[0].id}")) == defaults[0]
    expect_error(api.get("/brands/does-not-exist"), 404, "not_found")
