"""Small write helpers every service uses: validate, attribute to the acting user, save (audited)."""
from django.db import models


def model_save(instance: models.Model, *, by, validate: bool = True, exclude=None) -> models.Model:
    """full_clean() then save(); the audit history records ``by`` as the author."""
    if validate:
        instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


def model_delete(instance: models.Model, *, by) -> None:
    instance._history_user = by
    instance.delete()


def assign(instance: models.Model, data: dict, allowed: set[str] | None = None) -> models.Model:
    """Copy ``data`` onto ``instance`` (only the ``allowed`` fields when given)."""
    for key, value in data.items():
        if allowed is not None and key not in allowed:
            raise TypeError(f"field {key!r} may not be set here")
        setattr(instance, key, value)
    return instance
