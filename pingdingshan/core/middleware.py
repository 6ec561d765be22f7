"""Request id: every request gets one (or keeps the X-Request-ID it came with); audit entries and
log lines carry it, and the response echoes it."""
import contextvars
import logging
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="")
_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


class request_id_scope:
    """Context manager giving code outside a request (commands, tasks) its own request id."""

    def __init__(self, value: str | None = None, prefix: str = "cmd-"):
        self.value = value or new_request_id(prefix)

    def __enter__(self):
        self.token = _request_id.set(self.value)
        return self.value

    def __exit__(self, *exc):
        _request_id.reset(self.token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE.match(incoming) else new_request_id()
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


class ChineseByDefaultMiddleware:
    """Pages are in Simplified Chinese unless the user picked another language (the language
    cookie set by /i18n/setlang/): a browser's Accept-Language does not switch them. The API keeps
    standard Accept-Language negotiation for its clients. Sits just before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
