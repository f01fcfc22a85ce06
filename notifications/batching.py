"""Batch sends through the ESP's batch API, with each recipient's values as merge data.

A batchable kind is rendered once per batch instead of once per recipient: its templates see
markers where each recipient's own values go, the markers become the ESP's merge fields, and
the values travel as anymail's `merge_data` (HTML-escaped for the HTML part, as typed for the
text part and subject). Per-recipient headers (Message-ID, List-Unsubscribe) go as
`merge_headers` and the outbox row's id as `merge_metadata`, so tracking events find their row.
anymail does not split batches, so a batch never exceeds the ESP's per-call limit.

Without such an API (SMTP) a batch is still rendered once, and each recipient's own email is
made from it here by filling in their values.

Only kinds that name their per-recipient fields take either path, and one recipient for each
pattern of empty and filled values is also rendered alone and compared: if a template uses a
recipient's value in a way a merge field cannot express, the batch goes out one by one.
"""

import json
import logging
import re
from dataclasses import dataclass, field

from anymail.backends.base import AnymailBaseBackend
from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string

from . import mime, registry, rendering
from .models import Message

logger = logging.getLogger(__name__)

# Always different per recipient, whatever the kind.
COMMON_RECIPIENT_FIELDS = ("salutation", "recipient_name", "unsubscribe_url")


@dataclass(frozen=True)
class EspBatching:
    size: int  # recipients per API call
    field_format: str  # the ESP's on-the-fly merge field, "{}" standing for the key
    esp_extra: dict = field(default_factory=dict)

    def merge_field(self, key: str) -> str:
        return self.field_format.replace("{}", key)

    def fill(self, text: str, values: dict[str, str]) -> str:
        """Each merge field replaced by its value, in one pass: a value is never read again."""
        by_field = {self.merge_field(key): value for key, value in values.items()}
        # Exactly these fields, longest first: a looser pattern such as -(\w+)- would also
        # take text that only looks like one, and could swallow the start of a real one.
        fields = re.compile("|".join(map(re.escape, sorted(by_field, key=len, reverse=True))))
        return fields.sub(lambda match: by_field[match[0]], text)


# For a backend without a batch API (SMTP): the batch is still rendered once, and each
# recipient's email is made from it by filling in their values here.
LOCAL = EspBatching(size=10_000, field_format="[[plenary-value:{}]]")

# ESPs whose batch API takes merge data without a template stored at the ESP, with their
# per-call limits: Mailgun's recipient variables and SendGrid's substitutions.
KNOWN_ESPS = {
    "anymail.backends.mailgun.EmailBackend": EspBatching(1000, "%recipient.{}%"),
    "anymail.backends.sendgrid.EmailBackend": EspBatching(
        1000, "-{}-", {"merge_field_format": "-{}-"}
    ),
}


def configured() -> EspBatching | None:
    """Batching for the configured email backend, or None to send one message per call.

    OUTBOX_ESP_BATCH_SIZE and OUTBOX_MERGE_FIELD_FORMAT override the table, for another ESP
    with on-the-fly merge fields; a size below 2 turns batching off.
    """
    known = KNOWN_ESPS.get(settings.EMAIL_BACKEND)
    size = settings.OUTBOX_ESP_BATCH_SIZE
    field_format = settings.OUTBOX_MERGE_FIELD_FORMAT
    if size is None:
        size = known.size if known else 0
    if not field_format:
        field_format = known.field_format if known else ""
    if size < 2 or "{}" not in field_format:
        return None
    # Any other backend would send one message to every address at once.
    if not issubclass(import_string(settings.EMAIL_BACKEND), AnymailBaseBackend):
        return None
    return EspBatching(size, field_format, known.esp_extra if known else {})


def recipient_fields(kind: registry.MessageKind) -> tuple[str, ...]:
    common = COMMON_RECIPIENT_FIELDS
    if kind.transactional:  # it has no unsubscribe link: the layout must not see one to merge
        common = tuple(name for name in common if name != "unsubscribe_url")
    return common + tuple(kind.recipient_fields)


def split(messages, batching: EspBatching) -> tuple[list[list[Message]], list[Message]]:
    """Group messages that can share one rendering; return (batches, the rest one by one).

    A batch shares kind, event, language and the stored context apart from the recipient's own
    fields, and holds each address once (merge data is keyed by address).
    """
    groups: dict[tuple, list[list[Message]]] = {}
    singles = []
    for message in messages:
        kind = registry.get(message.kind)
        if not kind.recipient_fields:
            singles.append(message)
            continue
        fields = recipient_fields(kind)
        shared = {k: v for k, v in message.context.items() if k not in fields}
        key = (message.kind, message.event_id, message.language, json.dumps(shared, sort_keys=True))
        batches = groups.setdefault(key, [[]])
        batch = next(
            (
                b
                for b in batches
                if len(b) < batching.size and all(m.to_email != message.to_email for m in b)
            ),
            None,
        )
        if batch is None:
            batch = []
            batches.append(batch)
        batch.append(message)
    batches = []
    for group in groups.values():
        for batch in group:
            if len(batch) > 1:
                batches.append(batch)
            else:
                singles.extend(batch)
    return batches, singles


def _marker(name):
    return f"[[plenary-merge:{name}]]"


def _html_value(value) -> str:
    # As the CSS inliner writes text and double-quoted attributes, so a merged message reads
    # exactly like one rendered on its own.
    return (
        str(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


class NotMergeable(Exception):
    """This batch must go out one message at a time; the message says why."""


@dataclass
class BatchEmail:
    email: mime.Email
    values: dict[str, dict[str, str]]  # address -> merge key -> value


def render_batch(messages, *, custom, batching: EspBatching) -> BatchEmail:
    """One email for the whole batch, with merge fields, merge data and merge headers."""
    first = messages[0]
    kind = registry.get(first.kind)
    fields = recipient_fields(kind)
    template = rendering.render(
        first, custom=custom, markers={name: _marker(name) for name in fields}
    )
    subject = template.subject
    text = template.body
    html = template.alternatives[0][0]
    for name in fields:
        marker = _marker(name)
        subject = subject.replace(marker, batching.merge_field(f"t_{name}"))
        text = text.replace(marker, batching.merge_field(f"t_{name}"))
        html = html.replace(marker, batching.merge_field(f"h_{name}"))

    merge_data, merge_headers, merge_metadata, addresses = {}, {}, {}, []
    merge_fields = [batching.merge_field(p + name) for name in fields for p in ("t_", "h_")]
    shared = attachments = None
    for message in messages:
        with translation.override(message.language or settings.LANGUAGE_CODE):
            context = rendering.build_context(message, kind)
        # Everything but the recipient's own fields must be the batch's: a value the kind forgot
        # to name (a personal link, say) or an attachment of its own would otherwise reach the
        # whole batch.
        others = {k: v for k, v in context.items() if k not in fields and k != "message"}
        if shared is None:
            shared, attachments = others, kind.attachments(message)
        elif others != shared:
            raise NotMergeable("its messages differ in more than the recipient's fields")
        elif kind.attachments(message) != attachments:
            raise NotMergeable("its messages have attachments of their own")
        values = {}
        for name in fields:
            value = str(context.get(name, ""))
            if "plenary-merge" in value or any(field in value for field in merge_fields):
                raise NotMergeable("a recipient's value contains a merge field")
            values[f"t_{name}"] = value
            values[f"h_{name}"] = _html_value(value)
        merge_data[message.to_email] = values
        headers = rendering.recipient_headers(message, kind, context)
        merge_headers[message.to_email] = headers
        merge_metadata[message.to_email] = {"plenary_message": str(message.pk)}
        addresses.append(rendering.address(message))

    email = mime.Email(
        subject=subject,
        body=text,
        from_email=template.from_email,
        to=addresses,
        headers=rendering.shared_headers(kind),
    )
    email.attach_alternative(html, "text/html")
    email.attach_all(template.attachments)
    email.merge_data = merge_data
    email.merge_headers = merge_headers
    email.merge_metadata = merge_metadata
    if batching.esp_extra:
        email.esp_extra = dict(batching.esp_extra)
    return BatchEmail(email=email, values=merge_data)


def personal_email(batch: BatchEmail, message) -> mime.Email:
    """One recipient's own email from a batch merged with LOCAL's fields."""
    subject, text, html = personalised(batch, message.to_email, LOCAL)
    kind = registry.get(message.kind)
    email = mime.Email(
        subject=subject,
        body=text,
        from_email=batch.email.from_email,
        to=[rendering.address(message)],
        headers=batch.email.merge_headers[message.to_email] | rendering.shared_headers(kind),
    )
    email.attach_alternative(html, "text/html")
    email.attach_all(batch.email.attachments)
    return email


def personal_subject(batch: BatchEmail, address: str, batching: EspBatching) -> str:
    return batching.fill(batch.email.subject, batch.values[address])


def personalised(batch: BatchEmail, address: str, batching: EspBatching) -> tuple[str, str, str]:
    """(subject, text, html) as the ESP builds them for one recipient."""
    values = batch.values[address]
    parts = (batch.email.subject, batch.email.body, batch.email.alternatives[0][0])
    return tuple(batching.fill(part, values) for part in parts)


def merges_cleanly(batch: BatchEmail, messages, *, custom, batching: EspBatching) -> bool:
    """Does merging give each recipient what rendering their message alone would?

    No marker may have been altered by a template filter, and for each pattern of empty and
    filled recipient values in the batch (a condition such as "if honorific" reads those), one
    recipient's merged message must equal their message rendered alone: a rendering or two per
    batch instead of one per recipient. A condition on a value itself ("if honorific ==
    'H.E.'") is caught only when a recipient checked has another; kinds must not have one.
    """
    parts = (batch.email.subject, batch.email.body, batch.email.alternatives[0][0])
    if any("plenary-merge" in part.lower() for part in parts):
        return _not_clean(messages[0], "a template filters a recipient's value")
    checked = set()
    for message in messages:
        pattern = tuple(
            bool(value) for key, value in sorted(batch.values[message.to_email].items())
        )
        if pattern in checked:
            continue
        checked.add(pattern)
        alone = rendering.render(message, custom=custom)
        expected = (alone.subject, alone.body, alone.alternatives[0][0])
        if personalised(batch, message.to_email, batching) != expected:
            return _not_clean(message, "a template depends on a recipient's value")
    return True


def _not_clean(message, why) -> bool:
    logger.warning(
        "Kind %s does not merge cleanly (%s, message %s); sending one by one.",
        message.kind,
        why,
        message.pk,
    )
    return False
