"""The programme parts of an event (hosts, speakers, sessions, resources) as organizers save them,
each creation, change and deletion logged (see events.audit)."""

from django.db import transaction

from .audit import Actor, changes, log_action, snapshot

# The log's name for each part: its action family ("host.created") and object type.
PART_NAMES = {
    "eventhost": "host",
    "speaker": "speaker",
    "session": "session",
    "resource": "resource",
}


def part_name(part) -> str:
    return PART_NAMES.get(part._meta.model_name, part._meta.model_name)


def _editable_fields(part, names=None):
    concrete = {field.name for field in part._meta.concrete_fields if field.editable}
    concrete |= {field.name for field in part._meta.many_to_many}
    return [name for name in (names or concrete) if name in concrete and name != "event"]


@transaction.atomic
def save_event_parts(*, actor: Actor, event, formsets) -> None:
    """Save the event page's inline formsets for `event`: one log entry per part created,
    changed (with the fields that changed) or deleted. A part saved unchanged logs nothing."""
    for formset in formsets:
        formset.instance = event
        existing = [form.instance for form in formset.initial_forms if form.instance.pk]
        fields = _editable_fields(formset.model(), formset.form._meta.fields)
        originals = formset.model.objects.in_bulk([part.pk for part in existing])
        before = {pk: snapshot(original, fields) for pk, original in originals.items()}
        pks = {id(part): part.pk for part in existing}
        formset.save()
        for part in formset.new_objects:
            log_part_created(actor=actor, part=part, fields=fields)
        for part, _names in formset.changed_objects:
            log_part_changed(actor=actor, part=part, before=before[part.pk])
        for part in formset.deleted_objects:
            part.pk = pks[id(part)]  # deleting cleared it; the log names what was deleted
            log_action(
                actor=actor,
                action=f"{part_name(part)}.deleted",
                obj=part,
                event=event,
                data={"name": str(part)},
            )


def log_part_created(*, actor: Actor, part, fields=None):
    return log_action(
        actor=actor,
        action=f"{part_name(part)}.created",
        obj=part,
        data=snapshot(part, _editable_fields(part, fields)),
    )


def log_part_changed(*, actor: Actor, part, before: dict):
    """Log the fields of `before` that changed; nothing when none did."""
    if diff := changes(before, part):
        return log_action(actor=actor, action=f"{part_name(part)}.updated", obj=part, data=diff)
    return None


@transaction.atomic
def create_part(*, actor: Actor, serializer, event):
    """Save a part posted to the API for `event`, and log it."""
    part = serializer.save(event=event)
    log_part_created(actor=actor, part=part, fields=list(serializer.validated_data))
    return part


@transaction.atomic
def update_part(*, actor: Actor, serializer):
    """Save a part changed through the API, and log the fields that changed."""
    before = snapshot(
        serializer.instance, _editable_fields(serializer.instance, serializer.validated_data)
    )
    part = serializer.save()
    log_part_changed(actor=actor, part=part, before=before)
    return part


@transaction.atomic
def delete_part(*, actor: Actor, part) -> None:
    event, pk, name = part.event, part.pk, str(part)
    part.delete()
    part.pk = pk
    log_action(
        actor=actor, action=f"{part_name(part)}.deleted", obj=part, event=event, data={"name": name}
    )
