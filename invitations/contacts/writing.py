"""Writing one chunk of an import's rows: contacts upserted by email, their tags and list
membership added, the refused rows recorded and the import's progress moved on, in one
transaction that first checks the run still holds the import.

On PostgreSQL a chunk is a handful of statements over arrays (INSERT … SELECT FROM unnest …
ON CONFLICT), with no model instances; elsewhere (SQLite for the demo) the ORM does the same
in more steps. Both keep a value a cell leaves empty and never write a contact twice.
"""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Contact, ContactImport, ContactImportError, ContactList, ContactTag
from .services import CONTACT_FIELDS

TEXT_FIELDS = CONTACT_FIELDS  # email and every text field of a contact, all NOT NULL


class LostClaim(Exception):
    """Another run took this import over (this one was taken for crashed)."""


def duplicate_message(email, first_row):
    return _("%(email)s is also on row %(row)d; only that row is imported.") % {
        "email": email,
        "row": first_row,
    }


class ChunkWriter:
    """Writes the rows of one import a chunk at a time."""

    def __init__(self, contact_import, token):
        self.contact_import = contact_import
        self.token = token
        self.team_id = contact_import.team_id
        self.list_id = contact_import.contact_list_id
        self.fields = [name for name in contact_import.mapping if name not in ("email", "tags")]
        self.tags = {
            tag.name.casefold(): tag.pk for tag in ContactTag.objects.filter(team_id=self.team_id)
        }
        self.fast = connection.vendor == "postgresql"

    def write(self, chunk, cleaner, seen):
        """Check the chunk's rows and write them; `seen` maps each address read so far to its
        first row, so an address twice in the file is reported, not imported twice."""
        good, errors, refused = {}, [], 0
        for number, cells in chunk:
            values, problems = cleaner.clean(cells)
            email = values.get("email")
            if not problems and email in seen:
                problems = [("email", duplicate_message(email, seen[email]))]
            if problems:
                refused += 1
                errors.extend(
                    ContactImportError(
                        contact_import_id=self.contact_import.pk, row=number, field=f, message=m
                    )
                    for f, m in problems
                )
                continue
            seen[email] = number
            good[email] = values
        with transaction.atomic():
            claimed = ContactImport.objects.select_for_update().filter(
                pk=self.contact_import.pk,
                claim_token=self.token,
                status=ContactImport.Status.RUNNING,
            )
            if not claimed.exists():
                raise LostClaim
            created, updated = self._upsert(good) if good else (0, 0)
            ContactImportError.objects.bulk_create(errors)
            claimed.update(
                rows_done=F("rows_done") + len(chunk),
                created=F("created") + created,
                updated=F("updated") + updated,
                refused=F("refused") + refused,
                heartbeat_at=timezone.now(),
            )

    def _upsert(self, good) -> tuple[int, int]:
        """(created, updated). Rows go in email order, so two imports into one team never
        deadlock."""
        emails = sorted(good)
        ids, created = (self._upsert_sql if self.fast else self._upsert_orm)(good, emails)
        tag_links = self._tag_links(good, ids)
        if self.fast:
            self._link_sql(Contact.tags.through, "contact_id", "contacttag_id", tag_links)
            if self.list_id:
                links = [(self.list_id, pk) for pk in ids.values()]
                self._link_sql(ContactList.contacts.through, "contactlist_id", "contact_id", links)
        else:
            Tagged = Contact.tags.through
            Tagged.objects.bulk_create(
                [Tagged(contact_id=a, contacttag_id=b) for a, b in tag_links],
                ignore_conflicts=True,
            )
            if self.list_id:
                Member = ContactList.contacts.through
                Member.objects.bulk_create(
                    [Member(contactlist_id=self.list_id, contact_id=pk) for pk in ids.values()],
                    ignore_conflicts=True,
                )
        return created, len(emails) - created

    def _upsert_sql(self, good, emails):
        """One INSERT … ON CONFLICT DO UPDATE over arrays; an empty cell keeps the old value.
        RETURNING says which rows were new (xmax is 0 for a row this statement inserted)."""
        quote = connection.ops.quote_name
        table = quote(Contact._meta.db_table)
        names = ["email", *self.fields]
        mapped = [quote(Contact._meta.get_field(name).column) for name in names]
        stored = [quote(Contact._meta.get_field(name).column) for name in TEXT_FIELDS]
        # A field the file does not fill is inserted empty and left alone on update.
        values = [f"u.{column}" if column in mapped else "''" for column in stored]
        updates = [f"{c} = COALESCE(NULLIF(EXCLUDED.{c}, ''), {table}.{c})" for c in mapped[1:]]
        updates.append('"updated_at" = EXCLUDED."updated_at"')
        now = timezone.now()
        into = f'{table} ("team_id", {", ".join(stored)}, "created_at", "updated_at")'
        sql = (
            f"INSERT INTO {into} "  # noqa: S608
            f"SELECT %s, {', '.join(values)}, %s, %s "
            f"FROM unnest({', '.join(['%s::text[]'] * len(names))}) AS u({', '.join(mapped)}) "
            f'ON CONFLICT ("team_id", "email") DO UPDATE SET {", ".join(updates)} '
            'RETURNING "id", "email", (xmax = 0)'
        )
        arrays = [emails] + [[good[email][name] for email in emails] for name in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.team_id, now, now, *arrays])
            returned = cursor.fetchall()
        return {email: pk for pk, email, _new in returned}, sum(1 for *_r, new in returned if new)

    def _upsert_orm(self, good, emails):
        existing = {
            contact.email: contact
            for contact in Contact.objects.filter(team_id=self.team_id, email__in=emails)
        }
        contacts = []
        for email in emails:
            contact = Contact(team_id=self.team_id, email=email)
            old = existing.get(email)
            for name in self.fields:
                setattr(contact, name, good[email][name] or (getattr(old, name) if old else ""))
            contacts.append(contact)
        Contact.objects.bulk_create(
            contacts,
            update_conflicts=True,
            unique_fields=["team", "email"],
            update_fields=[*self.fields, "updated_at"],
        )
        ids = dict(
            Contact.objects.filter(team_id=self.team_id, email__in=emails).values_list(
                "email", "pk"
            )
        )
        return ids, len(emails) - len(existing)

    def _tag_links(self, good, ids) -> list[tuple[int, int]]:
        """(contact id, tag id) for each tag in the chunk, making the team's new tags."""
        wanted = {
            name.casefold(): name for values in good.values() for name in values.get("tags") or ()
        }
        missing = [name for key, name in wanted.items() if key not in self.tags]
        if missing:
            ContactTag.objects.bulk_create(
                [ContactTag(team_id=self.team_id, name=name) for name in missing],
                ignore_conflicts=True,
            )
            for tag in ContactTag.objects.filter(team_id=self.team_id):
                self.tags[tag.name.casefold()] = tag.pk
        return [
            (ids[email], self.tags[name.casefold()])
            for email, values in good.items()
            for name in values.get("tags") or ()
            if name.casefold() in self.tags
        ]

    @staticmethod
    def _link_sql(through, left, right, pairs):
        if not pairs:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            into = f"{quote(through._meta.db_table)} ({quote(left)}, {quote(right)})"
            cursor.execute(
                f"INSERT INTO {into} "  # noqa: S608 - quoted names from the model's metadata
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
                [[a for a, _b in pairs], [b for _a, b in pairs]],
            )
