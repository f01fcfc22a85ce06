# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    PATH="/app/.venv/bin:$PATH"
RUN pip install --no-cache-dir "uv>=0.5,<1"
# Fonts for the badge PDF: Latin, Cyrillic and Arabic (DejaVu), Chinese, Japanese, Korean (Droid).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    fonts-droid-fallback && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN python scripts/compile_catalogues.py \
    && SECRET_KEY=collectstatic python manage.py collectstatic --noinput \
    && useradd --create-home plenary && mkdir -p var/media && chown -R plenary var

USER plenary
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
