"""Celery tasks of the invitations app: thin wrappers that take ids and call services. Safe to
run twice."""

from celery import shared_task

from .contacts import imports


@shared_task(acks_late=True, ignore_result=True)
def run_contact_import(import_id):
    return imports.run_import(import_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_contact_imports():
    return imports.sweep()
