from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.validators import validate_email_address, validate_name


class CleanModelSerializer(serializers.ModelSerializer):
    """Saves through the model's full_clean(), so the model's own rules answer 400 with field
    errors like every other check. For simple records that no service function owns."""

    def create(self, validated_data):
        return self._clean_and_save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._clean_and_save(instance)

    @staticmethod
    def _clean_and_save(instance):
        instance.full_clean()
        instance.save()
        return instance


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` and nothing else: `"true"`, `1` or `"on"` are a 400, so a client
    never gives consent by accident of encoding."""

    default_error_messages = {"invalid": _("Must be JSON true or false.")}

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid")


class NameField(serializers.CharField):
    """A person's or organization's name, position or honorific: one visible line of text."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_name)


class EmailAddressField(serializers.EmailField):
    """An address mail can reach: a real domain, no localhost or IP literal."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator for validator in self.validators if not isinstance(validator, EmailValidator)
        ] + [validate_email_address]
