"""Chinese first; English from the switch in the header, whatever the browser says."""

from django.urls import reverse


def test_pages_are_chinese_by_default_even_for_an_english_browser(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_language_switch_renders_pages_in_english(client, caseworker_g1a):
    client.force_login(caseworker_g1a)

    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302

    response = client.get(reverse("dashboard"))
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_language_is_ignored(client, caseworker_g1a):
    client.force_login(caseworker_g1a)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    response = client.get(reverse("dashboard"))
    assert '<html lang="zh-hans">' in response.content.decode()
