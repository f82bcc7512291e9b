"""The household list is paged by key (hardship.pagination.keyset_paginate): its links carry
the edge row's key, so a deep page walks the index from there instead of skipping rows with
OFFSET. Walking forward or back visits every file once with the right page labels; the
last page, a typed-in page number and a stale key all still answer."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import HouseholdFactory

URL = reverse("household_list")
LINK = re.compile(r'<a class="page-link" href="\?([^"]*)">([^<]*)</a>')


def links(response) -> dict[str, str]:
    """The pagination links by their text, as query strings."""
    html = response.content.decode()
    return {text: href.replace("&amp;", "&") for href, text in LINK.findall(html)}


def shown(response) -> list[int]:
    return [h.pk for h in response.context["page"].object_list]


def label(response) -> str:
    page = response.context["page"]
    return f"{page.number}/{page.paginator.num_pages}"


@pytest.fixture
def files(org):
    """61 files: three pages of 25, 25 and 11, newest first."""
    made = HouseholdFactory.create_batch(61, union=org.g1a)
    return sorted((h.pk for h in made), reverse=True)


def test_walking_forward_and_back_visits_every_file_once(client, files, reviewer_c1):
    client.force_login(reviewer_c1)
    first = client.get(URL)
    assert shown(first) == files[:25] and label(first) == "1/3"
    second = client.get(f"{URL}?{links(first)['下一页']}")
    assert "after=" in links(first)["下一页"]
    assert shown(second) == files[25:50] and label(second) == "2/3"
    third = client.get(f"{URL}?{links(second)['下一页']}")
    assert shown(third) == files[50:] and label(third) == "3/3"
    assert "下一页" not in links(third)
    back = client.get(f"{URL}?{links(third)['上一页']}")
    assert "before=" in links(third)["上一页"]
    assert shown(back) == files[25:50] and label(back) == "2/3"
    start = client.get(f"{URL}?{links(back)['上一页']}")
    assert shown(start) == files[:25] and label(start) == "1/3"
    assert "上一页" not in links(start)


def test_the_last_page_holds_what_the_full_pages_leave(client, files, reviewer_c1):
    client.force_login(reviewer_c1)
    last = client.get(f"{URL}?{links(client.get(URL))['末页']}")
    assert shown(last) == files[50:] and label(last) == "3/3"
    first = client.get(f"{URL}?{links(last)['首页']}")
    assert shown(first) == files[:25]


def test_a_typed_in_page_number_and_a_stale_key_still_answer(client, files, reviewer_c1):
    client.force_login(reviewer_c1)
    typed = client.get(URL, {"page": 2})
    assert shown(typed) == files[25:50] and label(typed) == "2/3"
    past_the_end = client.get(URL, {"after": min(files), "page": 4})
    assert shown(past_the_end) == files[:25] and label(past_the_end) == "1/3"
    for odd in [{"after": "abc"}, {"before": "-3"}, {"after": "5", "page": "x"}]:
        assert client.get(URL, odd).status_code == 200


def test_filters_travel_with_the_keys(client, org, reviewer_c1):
    HouseholdFactory.create_batch(27, union=org.g1a, category="dibao")
    HouseholdFactory.create_batch(5, union=org.g1a, category="accident")
    client.force_login(reviewer_c1)
    first = client.get(URL, {"category": "dibao"})
    following = links(first)["下一页"]
    assert "category=dibao" in following and "page=2" in following
    second = client.get(f"{URL}?{following}")
    assert len(shown(second)) == 2 and label(second) == "2/2"
    assert {h.category for h in second.context["page"].object_list} == {"dibao"}


def test_a_deep_page_costs_the_queries_of_the_first_and_no_offset(
    client, files, reviewer_c1, session_clock_still
):
    client.force_login(reviewer_c1)
    client.get(URL)  # the session's first request writes it

    def page_queries(query: str) -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        return len(captured), [q["sql"] for q in captured]

    first, _sql = page_queries("")
    after = links(client.get(URL))["下一页"]
    deep, sql = page_queries(after)
    assert deep == first
    rows = [q for q in sql if "households_household" in q and "LIMIT 26" in q]
    assert rows and all("OFFSET" not in q for q in rows)
