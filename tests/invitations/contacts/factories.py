"""Builders for a team's contacts and lists."""

import factory

from invitations.models import Contact, ContactList, ContactTag
from tests.factories import OrganizationFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    team = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"contact{n}@mission.example")
    honorific = "H.E. Ms."
    first_name = "Amina"
    last_name = factory.Sequence(lambda n: f"Diallo {n}")
    position = "Permanent Representative"
    organization_name = "Permanent Mission of Senegal"
    country = "SN"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(
                ContactTag.objects.get_or_create(team=self.team, name=name)[0] for name in extracted
            )


class ContactListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactList
        skip_postgeneration_save = True

    team = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Focal points {n}")

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)
