"""Security headers on every page and answer, the API docs served from our own static files,
and SECURE_* settings from the environment so that `check --deploy` comes out clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from events.models import Membership
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "plenary.example.org",
    "SITE_URL": "https://plenary.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "ANYMAIL_WEBHOOK_SECRET": "esp:a-long-webhook-secret",
}


def _policy(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


@pytest.fixture
def pages(client, hybrid_event, register, organization):
    registration = register(hybrid_event)
    staff = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    slug = hybrid_event.slug
    return {
        "public": ("/", False),
        "event": (f"/events/{slug}/", False),
        "register": (f"/events/{slug}/register/", False),
        "manage": (f"/registrations/{registration.manage_token}/", False),
        "sign-in": ("/accounts/login/", False),
        "workspace": (reverse("workspace:event_detail", kwargs={"slug": slug}), staff),
        "registrants": (reverse("registrants:list", kwargs={"slug": slug}), staff),
        "desk": (reverse("checkin:desk", kwargs={"slug": slug}), staff),
        "api": ("/api/v1/events/", staff),
        "docs": ("/api/v1/docs/", False),
    }


@pytest.mark.parametrize(
    "page",
    [
        "public",
        "event",
        "register",
        "manage",
        "sign-in",
        "workspace",
        "registrants",
        "desk",
        "api",
        "docs",
    ],
)
def test_every_page_has_a_strict_content_security_policy(client, pages, page):
    path, user = pages[page]
    if user:
        client.force_login(user)

    response = client.get(path)

    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script_or_style_block(client, pages):
    for path, user in pages.values():
        if user:
            client.force_login(user)
        html = client.get(path).content.decode()
        assert "<script>" not in html and "<style" not in html, path
        assert 'style="' not in html, path


def test_redoc_may_add_styles_but_never_scripts(client, db):
    response = client.get("/api/v1/docs/redoc/")

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "fonts.googleapis.com" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/docs/redoc/"])
def test_the_api_docs_load_nothing_from_another_site(client, db, path):
    html = client.get(path).content.decode()

    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "https://" not in html


def _settings_in(environment, *names):
    """The settings a fresh process reads from this environment."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps([getattr(settings, n) for n in {list(names)!r}]))"
    )
    env = _environment(**environment)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_secure_settings_come_from_the_environment():
    values = _settings_in(
        PRODUCTION_LIKE,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )

    assert values == [True, 31536000, True, True, ["HTTP_X_FORWARDED_PROTO", "https"], True, True]


def test_the_defaults_suit_a_laptop():
    values = _settings_in(
        {"SITE_URL": "http://127.0.0.1:8000"},
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
    )

    assert values == [False, 0, None, False]


def _environment(**settings):
    """This process's environment without its security settings and test-only switches."""
    unset = ("SECURE_", "SESSION_", "CSRF_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(unset)},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **settings,
    }


def test_check_deploy_is_clean_with_production_like_settings():
    env = _environment(**PRODUCTION_LIKE)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
