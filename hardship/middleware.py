from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.defaults import page_not_found


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch in the header.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
    English to anyone with an English browser; the system's language is a choice, not a guess.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NotFoundPageMiddleware:
    """With DEBUG on (the demo), Django answers a missing page or another union's record
    with its technical 404 page, which lists the site's URLs and reads like a crash to a
    newcomer. Answer with the project's own page (templates/404.html) instead, as
    production does. With DEBUG off Django does that itself, and this middleware drops out.
    """

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return page_not_found(request, Http404())
        return response
