"""Celery tasks of the invitations app: thin wrappers that take ids and call services. Safe to
run twice: an import resumes after its last committed chunk, only drafts are sent, and each
reminder has its dedupe key."""

from celery import shared_task

from events.audit import Actor
from events.models import Event

from . import services
from .contacts import imports


@shared_task(acks_late=True, ignore_result=True)
def run_contact_import(import_id):
    return imports.run_import(import_id, actor=Actor.system("contact import"))


@shared_task(acks_late=True, ignore_result=True)
def sweep_contact_imports():
    return imports.sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_invitations(event_id, invitation_ids, actor=None):
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        services.send_chunks(
            actor=Actor.from_json(actor, Actor.system("invitation sending job")),
            event=event,
            invitation_ids=invitation_ids,
        )


@shared_task(acks_late=True, ignore_result=True)
def send_reminders(event_id, invitation_ids, key, actor=None):
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        services.send_reminder_chunks(
            actor=Actor.from_json(actor, Actor.system("reminder job")),
            event=event,
            invitation_ids=invitation_ids,
            key=key,
        )


@shared_task(acks_late=True, ignore_result=True)
def send_scheduled_reminders():
    return services.send_scheduled_reminders(actor=Actor.system("scheduled reminders"))
