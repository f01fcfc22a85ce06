"""Settings for the benchmarks' gunicorn: the project's settings, plus the bare baseline views.

The benchmark posts thousands of registrations from 127.0.0.1 on purpose, so the public rate
limits are lifted (the production limits would answer most of them 429 and measure nothing).
With BENCH_TRACE_FILE set (bench/registration.py --trace), slow requests are traced.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
THROTTLE_RATES = dict.fromkeys(THROTTLE_RATES)  # noqa: F405
if os.environ.get("BENCH_TRACE_FILE"):
    MIDDLEWARE = ["bench.trace.SlowRequestTrace", *MIDDLEWARE]  # noqa: F405
