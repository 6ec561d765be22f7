"""Audit history, on django-simple-history (runs on SQLite and PostgreSQL, and records bulk
writes through bulk_create_with_history / bulk_update_with_history).

Every audited model declares ``history = audit_history()``. Each history row records who
(``history_user``), when, the action (+ ~ -), the object's full field snapshot (so before/after
of any change is the diff against the previous row) and the request id. Management commands
and tasks run inside ``acting_as(user)`` so their writes carry the acting user too.
"""
import contextlib
import contextvars

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .middleware import current_request_id, request_id_scope

_acting_user = contextvars.ContextVar("acting_user", default=None)


class AuditedHistoricalModel(models.Model):
    """Extra columns on every history table."""

    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, default="", db_index=True)

    class Meta:
        abstract = True


def _history_user(instance=None, request=None, **kwargs):
    if request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        return request.user
    return _acting_user.get()


def _config(kwargs):
    kwargs.setdefault("bases", [AuditedHistoricalModel])
    kwargs.setdefault("get_user", _history_user)
    return kwargs


def audit_history(**kwargs):
    """The one HistoricalRecords configuration every audited model uses."""
    return HistoricalRecords(**_config(kwargs))


def audit_register(model, *, app, **kwargs):
    """The same configuration for a model we do not own (the auth User)."""
    from simple_history import register

    register(model, app=app, **_config(kwargs))


@receiver(pre_create_historical_record)
def _stamp_request_id(sender, history_instance, **kwargs):
    history_instance.request_id = current_request_id()


@contextlib.contextmanager
def acting_as(user, request_id: str | None = None):
    """Attribute writes outside a web request (commands, tasks, imports) to ``user``."""
    token = _acting_user.set(user)
    try:
        if current_request_id() and request_id is None:
            yield
        else:
            with request_id_scope(request_id):
                yield
    finally:
        _acting_user.reset(token)


def acting_user():
    return _acting_user.get()


def bulk_create_audited(model, objs, *, by=None, batch_size=2000):
    """bulk_create that also writes one history row per object (who, when, request id)."""
    return bulk_create_with_history(
        objs,
        model,
        batch_size=batch_size,
        default_user=by or _acting_user.get(),
        custom_historical_attrs={"request_id": current_request_id()},
    )


def bulk_update_audited(model, objs, fields, *, by=None, batch_size=2000):
    return bulk_update_with_history(
        objs,
        model,
        fields,
        batch_size=batch_size,
        default_user=by or _acting_user.get(),
        custom_historical_attrs={"request_id": current_request_id()},
    )


def audited_models():
    """The models that carry an audit history, in a stable order."""
    from simple_history.models import registered_models

    return sorted(registered_models.values(), key=lambda m: m._meta.label)



def _update_last_login_quietly(sender, user, **kwargs):
    """A login is not a change a user makes: keep last_login current without a history row."""
    from django.contrib.auth.models import update_last_login

    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


def install_login_hook():
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(_update_last_login_quietly, dispatch_uid="update_last_login_quietly")
