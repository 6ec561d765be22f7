"""``core.idlists.ids_arg``: one array parameter for a long id list on PostgreSQL, the plain list on
any other database (SQLite, the demo's: the array cast is PostgreSQL's syntax, and the vacancy
candidates page answered 500 on the demo with it)."""
from unittest import mock

from django.db import connection
from django.db.models.expressions import RawSQL

from pingdingshan.core.idlists import ARRAY_OVER, ids_arg


def test_a_short_list_is_the_list_itself():
    assert ids_arg(range(ARRAY_OVER)) == list(range(ARRAY_OVER))


def test_a_long_list_is_one_array_parameter_on_postgresql():
    with mock.patch.object(connection, "vendor", "postgresql"):
        arg = ids_arg([3, 1, 2] * 200)
    assert isinstance(arg, RawSQL) and arg.params == ("{" + ",".join(["3,1,2"] * 200) + "}",)


def test_a_long_list_stays_a_list_on_sqlite():
    with mock.patch.object(connection, "vendor", "sqlite"):
        assert ids_arg(range(ARRAY_OVER + 1)) == list(range(ARRAY_OVER + 1))
