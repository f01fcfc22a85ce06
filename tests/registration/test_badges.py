"""Name badges ready for a printer: names in every script the UN works in, eight a page."""

import csv
import io
import os
import re
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from registration import badges
from registration.models import Registration

NAMES = [
    ("H.E. Ms.", "Kristina", "Zetterlund", "Permanent Mission of Sweden", "SE"),
    ("", "محمد", "عبد الله", "البعثة الدائمة لمصر", "EG"),
    ("Mr.", "伟", "李", "中华人民共和国常驻联合国代表团", "CN"),
    ("Г-жа", "Мария", "Иванова", "Постоянное представительство России", "RU"),
]


def drawn_characters(pdf: bytes) -> set[str]:
    """The characters the PDF's fonts map glyphs to (their ToUnicode maps)."""
    characters = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            text = stream.decode("latin-1")  # fpdf2 leaves the ToUnicode maps uncompressed
        if "beginbfchar" in text or "beginbfrange" in text:
            characters |= {
                chr(int(code, 16)) for code in re.findall(r"<[0-9A-F]{4}> <([0-9A-F]{4})>", text)
            }
    return characters


@pytest.fixture
def badge_fonts(settings):
    """The fonts the PDF draws with; outside CI a machine without them skips, saying which."""
    fonts = [settings.BADGE_FONT, settings.BADGE_FONT_BOLD, *settings.BADGE_FALLBACK_FONTS]
    missing = [font for font in fonts if not Path(font).exists()]
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if missing and not in_ci:
        pytest.skip(
            "badge PDFs need these fonts (apt-get install fonts-dejavu-core "
            "fonts-droid-fallback): " + ", ".join(missing)
        )


@pytest.fixture
def delegates(hybrid_event, register):
    made = [
        register(
            hybrid_event,
            honorific=honorific,
            first_name=first,
            last_name=last,
            organization_name=organization,
            country=country,
        )
        for honorific, first, last, organization, country in NAMES
    ]
    register(hybrid_event, first_name="Online", last_name="Only", attendance_mode="virtual")
    return made


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_badges_list_confirmed_in_person_registrants_with_honorific_organization_and_country(
    hybrid_event, delegates, register
):
    register(hybrid_event)  # the in-person capacity is 2: waitlisted, so no badge
    found = badges.badges(
        badges.badge_registrations(Registration.objects.filter(event=hybrid_event))
    )

    assert [badge.name for badge in found] == ["H.E. Ms. Kristina Zetterlund", "محمد عبد الله"]
    assert found[0].organization == "Permanent Mission of Sweden"
    assert found[0].country == "Sweden"


@pytest.mark.usefixtures("badge_fonts")
def test_arabic_chinese_and_cyrillic_names_are_drawn_with_real_glyphs():
    sheet = badges.as_pdf(
        [badges.Badge(f"{h} {f} {la}".strip(), o, c) for h, f, la, o, c in NAMES],
        event_title="Peacekeeping in Africa",
    )

    assert sheet.content.startswith(b"%PDF")
    assert sheet.missing_characters == ""
    drawn = drawn_characters(sheet.content)
    for character in "ZМя李伟代محمد":
        assert character in drawn


@pytest.mark.usefixtures("badge_fonts")
def test_eight_badges_a_page():
    many = [badges.Badge(f"Delegate {n}", "Mission", "Ghana") for n in range(9)]

    content = badges.as_pdf(many, paper="letter").content

    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", content)) == 2
    assert b"/MediaBox [0 0 612.00 792.00]" in content


@pytest.mark.usefixtures("badge_fonts")
def test_without_a_font_for_chinese_the_missing_characters_are_named(settings):
    settings.BADGE_FALLBACK_FONTS = []

    sheet = badges.as_pdf([badges.Badge("Mr. 李伟", "", "China")])

    assert sheet.missing_characters == "伟李"


@pytest.mark.usefixtures("badge_fonts")
def test_badge_pdf_download(manager_client, hybrid_event, delegates):
    response = manager_client.get(
        reverse("registrants:badges_pdf", kwargs={"slug": hybrid_event.slug})
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(
        "-badges-" + response["Content-Disposition"].split("-badges-")[1]
    )
    assert response.content.startswith(b"%PDF")


@pytest.mark.usefixtures("badge_fonts")
def test_a_name_the_fonts_cannot_draw_is_refused_with_what_to_do(
    manager_client, hybrid_event, register, settings
):
    settings.BADGE_FALLBACK_FONTS = []
    register(hybrid_event, first_name="伟", last_name="李")

    page = manager_client.get(
        reverse("registrants:badges_pdf", kwargs={"slug": hybrid_event.slug}), follow=True
    )

    assert "cannot draw these characters of some names: 伟 李" in page.content.decode()
    assert "fonts-droid-fallback" in page.content.decode()


def test_without_the_fonts_the_pdf_says_what_to_install(manager_client, hybrid_event, settings):
    settings.BADGE_FONT = "/nonexistent/DejaVuSans.ttf"

    page = manager_client.get(
        reverse("registrants:badges_pdf", kwargs={"slug": hybrid_event.slug}), follow=True
    )

    assert "apt-get install fonts-dejavu-core" in page.content.decode()


def test_badge_list_as_csv(manager_client, hybrid_event, delegates):
    response = manager_client.get(
        reverse("registrants:badges_csv", kwargs={"slug": hybrid_event.slug})
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Organization", "Country"]
    assert rows[1] == ["H.E. Ms. Kristina Zetterlund", "Permanent Mission of Sweden", "Sweden"]


@pytest.mark.usefixtures("badge_fonts")
def test_api_badges(hybrid_event, delegates, manager):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(manager)
    path = f"/api/v1/events/{hybrid_event.slug}/registrations/badges/"

    assert client.get(path).content.startswith(b"%PDF")
    assert client.get(path, {"format": "csv"}).content.startswith(b"\xef\xbb\xbfName")
    assert client.get(path, {"format": "docx"}).status_code == 400
