"""Signing a browser in without the sign-in form, for tests that check pages, not the form."""

from django.conf import settings


def signed_in_session(user) -> str:
    """A saved session for `user`; its key is the session cookie's value."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def add_session_cookie(page, url, session_key):
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": url}]
    )


def sign_in(page, url, user):
    """Sign `user` in for the site at `url` in the page's browser context."""
    add_session_cookie(page, url, signed_in_session(user))
