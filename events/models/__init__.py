"""The events domain: organizations and teams, events and their parts, and the audit log."""

from .audit import LogEntry, LogEntryQuerySet
from .events import (
    DATETIME_FIELDS,
    DEFAULT_REMINDER_OFFSETS,
    Event,
    EventQuerySet,
    default_reminder_offsets,
    time_zone_names,
    validate_timezone_name,
)
from .organizations import NOT_IN_DIRECTORY, Membership, Organization, OrganizationQuerySet
from .programme import EventHost, Resource, ResourceQuerySet, Session, Speaker

__all__ = [
    "DATETIME_FIELDS",
    "DEFAULT_REMINDER_OFFSETS",
    "NOT_IN_DIRECTORY",
    "Event",
    "EventHost",
    "EventQuerySet",
    "LogEntry",
    "LogEntryQuerySet",
    "Membership",
    "Organization",
    "OrganizationQuerySet",
    "Resource",
    "ResourceQuerySet",
    "Session",
    "Speaker",
    "default_reminder_offsets",
    "time_zone_names",
    "validate_timezone_name",
]
