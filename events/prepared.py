"""Querysets built into SQL once per process, then run with new values.

Turning a queryset into SQL costs the web worker more CPU than PostgreSQL spends on an indexed
lookup: reading the event to register for through the ORM took about 0.8 ms of CPU, the same
SQL sent again and its row made into an Event about 0.17 ms. The busiest public request runs
the few reads it needs through this: the SQL is the ORM's own, built the first time from the
same queryset code, so a change to a manager or a field changes it too.
"""

import threading
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class _Prepared:
    vendor: str
    sql: str
    params: tuple
    slots: dict  # value name: its index in params
    model: type
    columns: slice  # the model's own columns in each row
    field_names: list  # their attnames, for Model.from_db
    annotations: dict  # attribute name: column index
    compiler: object  # for the columns' converters (SQLite's dates, JSON)
    converters: dict


class PreparedQuery:
    """`build(**values)` returns a queryset; `rows(**values)` runs its SQL with these values.

    The queryset is built once with a stand-in for each value; the stand-ins must reach the SQL
    as parameters, unchanged (exact lookups, not LIKE patterns), which the first build checks.
    Rows come back as model instances with their annotations, as the queryset would give them
    (no select_related or prefetching).
    """

    def __init__(self, build):
        self._build = build
        self._prepared = None
        self._lock = threading.Lock()

    def rows(self, **values) -> list:
        prepared = self._prepare(values)
        params = list(prepared.params)
        for name, index in prepared.slots.items():
            params[index] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, params)
            rows = cursor.fetchall()
        if prepared.converters:
            rows = prepared.compiler.apply_converters(rows, prepared.converters)
        objects = []
        for row in rows:
            obj = prepared.model.from_db(
                connection.alias, prepared.field_names, row[prepared.columns]
            )
            for name, index in prepared.annotations.items():
                setattr(obj, name, row[index])
            objects.append(obj)
        return objects

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None

    def _prepare(self, values) -> _Prepared:
        prepared = self._prepared
        if prepared is None or prepared.vendor != connection.vendor:
            with self._lock:
                self._prepared = prepared = self._compile(sorted(values))
        return prepared

    def _compile(self, names) -> _Prepared:
        # "%" and "_" make any escaping (a LIKE pattern, SQLite's iexact) show as a change.
        stand_ins = {name: f"\x1f%_prepared:{name}\x1f" for name in names}
        queryset = self._build(**stand_ins)
        if queryset.query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("A prepared query reads one model: no select_related or prefetch.")
        # What ModelIterable does each time, done once: the SQL, and how a row becomes a model.
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = {}
        for name, stand_in in stand_ins.items():
            found = [index for index, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ValueError(
                    f"{name!r} must reach the SQL once as a parameter, unchanged; it did "
                    f"{len(found)} times"
                )
            slots[name] = found[0]
        select_fields = compiler.klass_info["select_fields"]
        columns = slice(select_fields[0], select_fields[-1] + 1)
        return _Prepared(
            vendor=connection.vendor,
            sql=sql,
            params=tuple(params),
            slots=slots,
            model=compiler.klass_info["model"],
            columns=columns,
            field_names=[column[0].target.attname for column in compiler.select[columns]],
            annotations=dict(compiler.annotation_col_map),
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in compiler.select]),
        )
