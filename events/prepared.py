"""Querysets built into SQL once per process, then run with new values.

Turning a queryset into SQL costs the web worker more CPU than PostgreSQL spends on an indexed
lookup: reading the event to register for through the ORM took about 0.7 ms of CPU, the same
SQL sent again about 0.2 ms (bench/registration.py --profile). The busiest public request runs
the few reads it needs through this: the SQL is the ORM's own, built the first time from the
same queryset code, so a change to a manager or a field changes it too.
"""

import threading

from django.db import connection


class PreparedQuery:
    """`build(**values)` returns a queryset; `rows(**values)` runs its SQL with these values.

    The queryset is built once with a stand-in for each value; the stand-ins must reach the SQL
    as parameters, unchanged (exact lookups, iexact, not LIKE patterns), which the first build
    checks. Rows come back as model instances, annotations as attributes (QuerySet.raw).
    """

    def __init__(self, build):
        self._build = build
        self._prepared = None  # (model, sql, params, {value name: params index})
        self._lock = threading.Lock()

    def rows(self, **values) -> list:
        model, sql, params, slots = self._prepare(values)
        params = list(params)
        for name, index in slots.items():
            params[index] = values[name]
        return list(model._default_manager.raw(sql, params))

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None

    def _prepare(self, values):
        prepared = self._prepared
        if prepared is None or prepared[4] != connection.vendor:
            with self._lock:
                self._prepared = prepared = self._compile(sorted(values))
        return prepared[:4]

    def _compile(self, names):
        # "%" and "_" make any escaping (a LIKE pattern, SQLite's iexact) show as a change.
        stand_ins = {name: f"\x1f%_prepared:{name}\x1f" for name in names}
        queryset = self._build(**stand_ins)
        sql, params = queryset.query.sql_with_params()
        slots = {}
        for name, stand_in in stand_ins.items():
            found = [index for index, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ValueError(
                    f"{name!r} must reach the SQL once as a parameter, unchanged; it did "
                    f"{len(found)} times"
                )
            slots[name] = found[0]
        return queryset.model, sql, tuple(params), slots, connection.vendor
