from rest_framework import serializers


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
