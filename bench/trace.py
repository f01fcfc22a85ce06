"""Where a slow request's time went, for bench/registration.py --trace: a middleware that, for
each request slower than BENCH_TRACE_MS, appends one JSON line to BENCH_TRACE_FILE with its
total time, its time in SQL (and the slowest statement), and its time handing messages to
Celery. Client latency minus this total is time spent waiting for a gunicorn worker."""

import json
import os
import time

from django.db import connection

from notifications import services as outbox

THRESHOLD = float(os.environ.get("BENCH_TRACE_MS", "0") or 0) / 1000
TRACE_FILE = os.environ.get("BENCH_TRACE_FILE", "")
_spent = {"publish": 0.0}
_queue_for_sending = outbox.queue_for_sending


def _timed_queue_for_sending(*args, **kwargs):
    started = time.perf_counter()
    try:
        return _queue_for_sending(*args, **kwargs)
    finally:
        _spent["publish"] += time.perf_counter() - started


outbox.queue_for_sending = _timed_queue_for_sending


class SlowRequestTrace:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sql = {"seconds": 0.0, "slowest": (0.0, "")}
        _spent["publish"] = 0.0

        def timed(execute, statement, params, many, context):
            started = time.perf_counter()
            try:
                return execute(statement, params, many, context)
            finally:
                took = time.perf_counter() - started
                sql["seconds"] += took
                if took > sql["slowest"][0]:
                    sql["slowest"] = (took, statement[:80])

        started, wall = time.perf_counter(), time.time()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        total = time.perf_counter() - started
        if total >= THRESHOLD and TRACE_FILE:
            line = {
                "at": round(wall, 3), "pid": os.getpid(), "path": request.path,
                "status": response.status_code, "total_ms": round(total * 1000, 1),
                "sql_ms": round(sql["seconds"] * 1000, 1),
                "slowest_sql_ms": round(sql["slowest"][0] * 1000, 1),
                "slowest_sql": sql["slowest"][1],
                "publish_ms": round(_spent["publish"] * 1000, 1),
            }  # fmt: skip
            with open(TRACE_FILE, "a") as file:
                file.write(json.dumps(line) + "\n")
        return response
