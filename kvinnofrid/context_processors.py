from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_links(request):
    """The current page in each other language: the URL prefix, not a cookie, sets it."""
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code != current:
            links.append(
                {
                    "code": code,
                    "name": get_language_info(code)["name_local"],
                    "url": translate_url(request.get_full_path(), code),
                }
            )
    return {"language_links": links}


def site_url(request):
    """The configured public address: canonical links and share previews name it, never the
    request's Host header or query string."""
    return {"site_url": settings.SITE_URL.rstrip("/")}
