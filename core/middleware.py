from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Speak Vietnamese unless the person chose another language.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not
    consulted: a phone set to English still gets the Vietnamese site, and the
    language switcher (Django's set_language view) stores an explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY as the Permissions-Policy header: the
    browser features no page of the site uses are off, for the site and for
    anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class HealthCheckMiddleware:
    """Answer /healthz before anything asks for the request's host.

    A load balancer checks each machine by its address, which is not one of
    ALLOWED_HOSTS, and over plain HTTP (SECURE_REDIRECT_EXEMPT spares it the
    redirect to HTTPS): the answer must not depend on either. Placed after the
    middleware that only add headers, before any that validates the host.
    """

    def __init__(self, get_response):
        from .views import healthz

        self.get_response = get_response
        self.healthz = healthz

    def __call__(self, request):
        if request.path_info == "/healthz":
            return self.healthz(request)
        return self.get_response(request)
