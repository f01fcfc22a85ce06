"""The directory shipped with Plenary, read from events/data/: each member state's Permanent
Mission and Government, the observer states, UN entities and regional organizations.

`load()` takes the Organization model as an argument, so the data migration runs it with its
historical model and `manage.py load_directory` with the current one. It is idempotent by
`code`: a second run creates nothing, a changed data file updates the entries it names, and an
entry whose code left the data file is deleted only when nothing points to it.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FIELDS = ("kind", "name", "short_name", "country")


@dataclass(frozen=True)
class Entry:
    code: str
    kind: str
    name: str
    short_name: str = ""
    country: str = ""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0  # entries added by hand before, now known by their code
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # retired codes still in use


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as data:
        yield from (
            {key: value.strip() for key, value in row.items()} for row in csv.DictReader(data)
        )


def shipped_entries() -> list[Entry]:
    """The entries in the data files. A member state gives two: its mission and its government,
    both named with the phrase that follows "of" ("the Republic of Korea")."""
    entries = []
    for row in _rows("member_states.csv"):
        iso, phrase = row["iso"].upper(), row["phrase"]
        entries.append(
            Entry(f"mission:{iso}", "member_state", f"Permanent Mission of {phrase}", country=iso)
        )
        entries.append(
            Entry(f"government:{iso}", "government", f"Government of {phrase}", country=iso)
        )
    for row in _rows("organizations.csv"):
        entries.append(
            Entry(
                code=row["code"],
                kind=row["kind"],
                name=row["name"],
                short_name=row["short_name"],
                country=row["country"].upper(),
            )
        )
    return entries


def _name_key(name):
    return " ".join(name.casefold().split())


def _is_referenced(organization) -> bool:
    """Whether any row (a host, a registration, a contact …) points to this entry."""
    for relation in organization._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            model = relation.related_model
            if model._default_manager.filter(**{relation.field.name: organization.pk}).exists():
                return True
        elif relation.many_to_many and getattr(organization, relation.get_accessor_name()).exists():
            return True
    return False


@transaction.atomic
def load(organization_model, entries: list[Entry] | None = None) -> LoadResult:
    """Bring the directory in step with `entries` (by default, the shipped data files)."""
    entries = shipped_entries() if entries is None else entries
    result = LoadResult()
    manager = organization_model._default_manager
    by_code = {org.code: org for org in manager.filter(code__isnull=False)}
    # Entries someone added by hand under the same name become the shipped ones, not duplicates.
    by_name = {}
    for org in manager.filter(code__isnull=True, is_team=False).order_by("pk"):
        by_name.setdefault(_name_key(org.name), org)

    new, changed = [], []
    for entry in entries:
        org = by_code.pop(entry.code, None)
        adopted = False
        if org is None:
            org = by_name.pop(_name_key(entry.name), None)
            adopted = org is not None
        if org is None:
            new.append(organization_model(code=entry.code, is_team=False, **_values(entry)))
            continue
        differs = [name for name in SHIPPED_FIELDS if getattr(org, name) != getattr(entry, name)]
        for name in differs:
            setattr(org, name, getattr(entry, name))
        if adopted:
            org.code = entry.code
            result.adopted += 1
        elif differs:
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        changed.append(org)
    manager.bulk_create(new)
    result.created = len(new)
    if changed:
        manager.bulk_update(changed, ["code", *SHIPPED_FIELDS])

    for code, org in sorted(by_code.items()):
        if _is_referenced(org):
            result.kept.append(code)
        else:
            org.delete()
            result.removed += 1
    return result


def _values(entry):
    return {name: getattr(entry, name) for name in SHIPPED_FIELDS}
