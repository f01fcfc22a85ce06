"""Settings for the benchmarks' gunicorn: the project's settings, plus the bare baseline view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
