"""Bulk reads into pandas and bulk writes from rows, for set-based computations.

On PostgreSQL both go through COPY (``read_frame``: the query's rows as CSV straight into
``pandas.read_csv`` with the given dtypes, no Python object per value; ``copy_rows``: rows into
a temporary table for an ``UPDATE … FROM``). Other databases (the SQLite demo) take the plain
path: a cursor, and Django's ``bulk_update``.
"""
import csv
import io

import pandas as pd
from django.db import connection


def read_frame(queryset, columns: list[str], dtypes: dict | None = None) -> pd.DataFrame:
    """The rows of ``queryset`` (a ``values_list`` of ``columns``) as a DataFrame."""
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            query = raw.mogrify(sql, params).decode()
            buf = io.BytesIO()
            raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buf)
        buf.seek(0)
        if buf.getbuffer().nbytes == 0:
            return pd.DataFrame({c: pd.Series(dtype=(dtypes or {}).get(c, "object")) for c in columns})
        return pd.read_csv(buf, header=None, names=columns, dtype=dtypes)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype(dtypes) if dtypes and len(frame) else frame


def copy_rows(table: str, columns: list[tuple[str, str]], rows, *, force_not_null=()) -> None:
    """COPY ``rows`` (iterables of values; None is NULL) into a new temporary ``table`` with
    ``columns`` [(name, SQL type)], dropped at the end of the transaction. PostgreSQL only."""
    names = ", ".join(n for n, _t in columns)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"CREATE TEMPORARY TABLE {table} ({', '.join(f'{n} {t}' for n, t in columns)}) ON COMMIT DROP")
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        options = "FORMAT csv, NULL '\\N'"
        if force_not_null:
            options += f", FORCE_NOT_NULL ({', '.join(force_not_null)})"
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for n, row in enumerate(rows, start=1):
            writer.writerow(["\\N" if v is None else v for v in row])
            if n % 20000 == 0:
                buf.seek(0)
                raw.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH ({options})", buf)
                buf = io.StringIO()
                writer = csv.writer(buf, lineterminator="\n")
        if buf.tell():
            buf.seek(0)
            raw.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH ({options})", buf)
