"""Integers a column cannot hold never reach the database.

Django (5.x) answers ``IntegerField`` ``exact``/``lt``/``gt``... lookups with a value out of the
column's range without asking the database (``IntegerFieldOverflow``), but not ``__in`` lookups
and not lookups through a foreign key (``submitted_by=…``, ``cadre_id__in=…``). There the value is
handed to the driver, and SQLite (the embedded default) raises ``OverflowError`` for any integer
of 2**63 or more: ``?submitter=99999999999999999999999`` or a bulk-verify id answered 500.

Installed once, in ``CoreConfig.ready``, for every model: an out-of-range id matches no row
(``exact``/``in``), as a missing id does, on SQLite and PostgreSQL alike; ``lt``/``gt`` keep their
meaning (every row is below 2**63). Input fields still refuse what is not an integer (see
``core.fields``)."""
from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db.models import IntegerField
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In


def _integer_range(field, connection) -> tuple[int | None, int | None]:
    """The range of the column behind ``field`` (following foreign keys to their target), or
    (None, None) when it is not an integer column."""
    try:
        for _hop in range(8):
            target = getattr(field, "target_field", None)
            if target is None or target is field:
                break
            field = target
        return connection.ops.integer_field_range(field.get_internal_type())
    except (KeyError, AttributeError, FieldError):
        return None, None


def _out_of_range(value, low, high) -> int:
    """-1 below, 1 above, 0 inside (or not an int)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return 0
    if low is not None and value < low:
        return -1
    if high is not None and value > high:
        return 1
    return 0


class _DropOutOfRange:
    """``__in``: values the column cannot hold are left out; none left → no rows."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _integer_range(self.lhs.output_field, connection)
            if low is not None or high is not None:
                kept = [v for v in self.rhs if not _out_of_range(v, low, high)]
                if not kept:
                    raise EmptyResultSet
                self.rhs = kept
        return super().process_rhs(compiler, connection)


class IntegerIn(_DropOutOfRange, In):
    pass


class SafeRelatedIn(_DropOutOfRange, RelatedIn):
    pass


def _related(base, *, below, above):
    class Lookup(base):
        def process_rhs(self, compiler, connection):
            if self.rhs_is_direct_value():
                side = _out_of_range(self.rhs, *_integer_range(self.lhs.output_field, connection))
                if side:
                    raise below if side < 0 else above
            return super().process_rhs(compiler, connection)

    Lookup.__name__ = Lookup.__qualname__ = f"Safe{base.__name__}"
    return Lookup


SafeRelatedExact = _related(RelatedExact, below=EmptyResultSet, above=EmptyResultSet)
SafeRelatedLessThan = _related(RelatedLessThan, below=EmptyResultSet, above=FullResultSet)
SafeRelatedLessThanOrEqual = _related(RelatedLessThanOrEqual, below=EmptyResultSet, above=FullResultSet)
SafeRelatedGreaterThan = _related(RelatedGreaterThan, below=FullResultSet, above=EmptyResultSet)
SafeRelatedGreaterThanOrEqual = _related(RelatedGreaterThanOrEqual, below=FullResultSet, above=EmptyResultSet)


def install() -> None:
    IntegerField.register_lookup(IntegerIn)
    for lookup in (SafeRelatedIn, SafeRelatedExact, SafeRelatedLessThan, SafeRelatedLessThanOrEqual,
                   SafeRelatedGreaterThan, SafeRelatedGreaterThanOrEqual):
        ForeignObject.register_lookup(lookup)
