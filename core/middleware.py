from django.conf import settings
from django.utils import translation

from .log import request_id_from, request_id_var


class RequestIdMiddleware:
    """Give each request an id, on every log line it writes and in its answer.

    The id is the proxy's ``X-Request-ID`` (nginx sends its ``$request_id``)
    when that is a sane token, so nginx's log and the site's share it; a new
    one otherwise. Logging reads it from a context variable (core.log); the
    answer returns it as ``X-Request-ID``. First of all the middleware, so
    redirects and the health check carry it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response


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
    """Answer /healthz and /metrics before anything asks for the request's host.

    A load balancer checks each machine by its address, which is not one of
    ALLOWED_HOSTS, and over plain HTTP (SECURE_REDIRECT_EXEMPT spares it the
    redirect to HTTPS): the answer must not depend on either. Prometheus
    scrapes /metrics the same way (core.metrics decides who may read it).
    Placed after the middleware that only add headers, before any that
    validates the host.
    """

    def __init__(self, get_response):
        from .metrics import metrics
        from .views import healthz

        self.get_response = get_response
        self.views = {"/healthz": healthz, "/metrics": metrics}

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
