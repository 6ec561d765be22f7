"""A long list of ids as one query argument (``pk__in=ids_arg(ids)``).

PostgreSQL gets a list longer than ``ARRAY_OVER`` as one text parameter, ``SELECT unnest('{1,2,…}'
::bigint[])``: cheaper to send and to parse than one parameter per id (30,000 cadres in the reserve
pool's and the vacancy candidates' queries). Any other database (SQLite, the embedded default of the
demo) gets the plain list, which Django binds one parameter per id. The one place that decides it:
the eligibility, standing and matching services call it."""
from django.db import connection
from django.db.models.expressions import RawSQL

ARRAY_OVER = 500


def ids_arg(ids):
    """``ids`` (ints) as the right-hand side of an ``__in`` lookup."""
    ids = [int(i) for i in ids]
    if len(ids) > ARRAY_OVER and connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", ("{" + ",".join(map(str, ids)) + "}",))
    return ids
