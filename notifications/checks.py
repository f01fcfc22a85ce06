from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def webhook_secret_is_set(app_configs, **kwargs):
    if settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return []
    return [
        Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set, so delivery webhooks are refused.",
            hint="Set ANYMAIL_WEBHOOK_SECRET=user:password and give the ESP that basic-auth URL.",
            id="notifications.W001",
        )
    ]
