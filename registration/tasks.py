"""Celery tasks of registration: what beat runs every minute. Thin, and safe to run twice."""

from celery import shared_task

from . import followup, reminders


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders():
    return reminders.send_due()


@shared_task(acks_late=True, ignore_result=True)
def start_due_followups():
    return followup.start_due()
