import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Import files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def team(organization):
    return organization


@pytest.fixture
def viewer(team):
    return MembershipFactory(organization=team, role=Membership.Role.VIEWER).user


@pytest.fixture
def other_team(db):
    return OrganizationFactory(name="Permanent Mission of Norway")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


def upload(content: bytes | str, name="contacts.csv", encoding="utf-8"):
    if isinstance(content, str):
        content = content.encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_bytes(rows) -> bytes:
    """An Excel workbook whose first sheet holds `rows` (lists of cell values)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
