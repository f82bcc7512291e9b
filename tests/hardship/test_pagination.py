from django.test import RequestFactory

from hardship.pagination import paginate


def test_page_links_keep_the_filters_but_not_the_page_number():
    request = RequestFactory().get("/", {"status": "filed", "page": "2", "q": "张"})
    context = paginate(request, list(range(30)), 10)
    assert context["page"].number == 2
    assert list(context["page"]) == list(range(10, 20))
    assert sorted(context["query"].split("&")) == ["q=%E5%BC%A0", "status=filed"]


def test_a_page_past_the_end_shows_the_last_page():
    request = RequestFactory().get("/", {"page": "99"})
    context = paginate(request, list(range(30)), 10)
    assert context["page"].number == 3
    assert context["query"] == ""
