"""What apps above `notifications` may react to, inside the transaction of the change.

`notifications` knows nothing of invitations: invitations listens here to show a bounced or
delivered invitation on the guest list, finding its invitation by the message's related object.
"""

from django.dispatch import Signal

# Sent by tracking.record with `message` and `delivery_status` (a Message.DeliveryStatus) when
# an ESP's report moves a message's delivery status on.
delivery_status_changed = Signal()
