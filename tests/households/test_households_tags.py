"""Tags an administrator defines, carried by files (with their history); model workers'
titles and years; the list filters by both and the statistics show them apart."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from formdata import household_edit_data

from households.models import Household, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags():
    return (
        Tag.objects.create(name="农民工"),
        Tag.objects.create(name="单亲家庭"),
        Tag.objects.create(name="旧标签", is_active=False),
    )


def edit(client, household, **fields):
    return client.post(
        reverse("household_edit", args=[household.pk]), household_edit_data(household, **fields)
    )


def test_a_file_carries_tags_and_their_changes_are_in_its_history(
    client, caseworker_g1a, household_g1a, tags
):
    migrant, single, _retired = tags
    client.force_login(caseworker_g1a)
    response = edit(client, household_g1a, tags=[str(migrant.pk), str(single.pk)])
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(household_g1a.tags.all()) == {migrant, single}
    edit(client, household_g1a, tags=[str(single.pk)])
    assert list(household_g1a.tags.all()) == [single]
    latest = household_g1a.history.order_by("-history_id").first()
    assert [row.tag_id for row in latest.tags.all()] == [single.pk]
    page = client.get(household_g1a.get_absolute_url()).content.decode()
    assert "单亲家庭" in page and "农民工" not in page


def test_a_retired_tag_cannot_be_given_but_stays_where_it_was(
    client, caseworker_g1a, household_g1a, tags
):
    _migrant, single, retired = tags
    client.force_login(caseworker_g1a)
    response = edit(client, household_g1a, tags=[str(retired.pk)])
    assert response.status_code == 200 and household_g1a.tags.count() == 0
    household_g1a.tags.add(retired)
    assert edit(client, household_g1a, tags=[str(retired.pk), str(single.pk)]).status_code == 302
    assert set(household_g1a.tags.all()) == {retired, single}


def test_a_model_workers_title_and_year(client, caseworker_g1a, household_g1a):
    client.force_login(caseworker_g1a)
    response = edit(client, household_g1a, model_worker_title="city", model_worker_year="2010")
    assert response.status_code == 200 and "请勾选“劳模”" in response.content.decode()
    response = edit(client, household_g1a, is_model_worker="on", model_worker_title="")
    assert "劳模请选择称号级别" in response.content.decode()
    response = edit(
        client,
        household_g1a,
        is_model_worker="on",
        model_worker_title="provincial",
        model_worker_year="1949",
    )
    assert "获评年份须在 1950 年至今年之间" in response.content.decode()
    response = edit(
        client,
        household_g1a,
        is_model_worker="on",
        model_worker_title="provincial",
        model_worker_year="2012",
    )
    assert response.status_code == 302
    household_g1a.refresh_from_db()
    assert (household_g1a.model_worker_title, household_g1a.model_worker_year) == (
        "provincial",
        2012,
    )
    assert "省部级劳模 · 2012" in client.get(household_g1a.get_absolute_url()).content.decode()


def test_the_database_keeps_titles_for_model_workers_only(household_g1a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household_g1a.pk).update(
            is_model_worker=False, model_worker_title="national"
        )


def test_the_list_filters_by_tag_and_title_and_statistics_show_them(
    client, reviewer_c1, household_g1a, tags
):
    migrant = tags[0]
    household_g1a.tags.add(migrant)
    Household.objects.filter(pk=household_g1a.pk).update(
        is_model_worker=True, model_worker_title="national", model_worker_year=2005
    )
    client.force_login(reviewer_c1)
    listed = client.get(reverse("household_list"), {"tag": migrant.pk}).context["page"]
    assert [h.pk for h in listed] == [household_g1a.pk]
    listed = client.get(reverse("household_list"), {"model_worker": "city"}).context["page"]
    assert list(listed) == []
    listed = client.get(reverse("household_list"), {"model_worker": "national"}).context["page"]
    assert [h.pk for h in listed] == [household_g1a.pk]
    charts = {
        str(title): str(chart)
        for title, chart in client.get(reverse("statistics")).context["charts"]
    }
    assert "全国劳模" in charts["在档困难劳模按称号级别"]
    assert "农民工" in charts["在档户按标签（一户可多个）"]
