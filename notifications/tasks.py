"""Celery tasks: thin wrappers that carry ids and call the outbox services. Safe to run twice."""

from celery import shared_task

from . import jobs, services


@shared_task(acks_late=True, ignore_result=True)
def send_messages(message_ids):
    return services.send_messages(message_ids)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox():
    return services.sweep()


@shared_task(acks_late=True, ignore_result=True)
def run_fanout_job(job_id):
    return jobs.run(job_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_fanout_jobs():
    return jobs.requeue_stalled()
