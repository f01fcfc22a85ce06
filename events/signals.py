"""What apps above `events` may react to, inside the transaction of the change.

`events` knows nothing of registrations: registration listens here to promote the waitlist when
capacity grows and to tell confirmed registrants about a new time, place or cancellation.
"""

from django.dispatch import Signal

# Sent by services.update_event with `event` and `changed`, the set of changed field names.
event_changed = Signal()
# Sent by services.cancel_event with `event`.
event_cancelled = Signal()
