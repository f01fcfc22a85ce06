# Plenary's commands. Needs only Python 3.11+ and make: uv is fetched into .uv/ when missing.
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .uv/bin/uv
endif
RUN := $(UV) run --frozen

.PHONY: demo test install lint check-deploy check-catalogues bench clean

## demo: run Plenary with demo data on SQLite, a Celery worker and beat, email to var/outbox/
## (PLENARY_PORT=8123 make demo serves on another port; the demo's invitations are made by dev.py)
demo: install
	DEBUG=true $(RUN) python manage.py migrate --noinput
	DEBUG=true $(RUN) python manage.py load_demo
	DEBUG=true $(RUN) python manage.py load_demo_registrations
	DEBUG=true $(RUN) python scripts/dev.py

## test: the test suite, on PostgreSQL and Redis when they answer, else SQLite
test: install
	$(RUN) python scripts/run_tests.py $(ARGS)

## lint: ruff, and migrations in step with the models
lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) python manage.py makemigrations --check --dry-run

## check-deploy: Django's deployment checks with production-like settings (as CI runs them)
check-deploy: install
	DEBUG=false ALLOWED_HOSTS=plenary.example.org SITE_URL=https://plenary.example.org \
	SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=true \
	SECURE_HSTS_PRELOAD=true SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https \
	ANYMAIL_WEBHOOK_SECRET=ci:a-long-webhook-secret \
	$(RUN) python manage.py check --deploy --fail-level WARNING

## bench: the benchmarks in bench/ (needs PostgreSQL and Redis on loopback; see bench/README.md)
bench: install
	$(RUN) python bench/outbox.py
	$(RUN) python bench/registration.py
	$(RUN) python bench/registrants_page.py
	$(RUN) python bench/contact_import.py
	$(RUN) python bench/invitations_send.py
	$(RUN) python bench/guest_list_page.py
	$(RUN) python bench/reminders.py

## install: the dependencies, and the translation catalogues compiled (pure Python, with Babel)
install: $(UV)
	$(UV) sync --frozen
	$(RUN) python scripts/compile_catalogues.py

## check-catalogues: every language complete, placeholders kept, msgids in step with the code
## (extracting msgids needs GNU gettext's xgettext)
check-catalogues: install
	$(RUN) python scripts/check_catalogues.py

.uv/bin/uv:
	python3 -m venv .uv
	.uv/bin/pip install --quiet "uv>=0.5,<1"

clean:
	rm -rf var/ .venv/ .uv/
