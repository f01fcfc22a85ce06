"""What an uploaded file is, read from its content: CSV in every encoding and delimiter Excel
and others save, XLSX, and the files refused before anything is stored."""

import pytest
from django.core.exceptions import ValidationError

from events.audit import SYSTEM
from invitations.contacts import imports
from invitations.models import Contact, ContactImport

from .conftest import upload, xlsx_bytes

NAMES = "email,first_name,last_name,organization\n"
ROW = "anais.lefevre@mission-france.example,Anaïs,Lefèvre,Mission permanente de la France\n"


def import_now(team, file, **kwargs):
    contact_import = imports.import_create(
        actor=SYSTEM, team=team, user=None, upload=file, start=True, **kwargs
    )
    assert imports.run_import(contact_import.pk, actor=SYSTEM) == "done"
    contact_import.refresh_from_db()
    return contact_import


def stored_names(team):
    return list(Contact.objects.filter(team=team).values_list("first_name", "last_name"))


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "utf-16 with BOM"],
)
def test_accented_names_survive_each_encoding(team, encoding, prefix):
    content = prefix + (NAMES + ROW).encode(encoding)

    contact_import = import_now(team, upload(content))

    assert contact_import.created == 1
    assert stored_names(team) == [("Anaïs", "Lefèvre")]


def test_windows_1252_is_recognised_by_an_accent_far_down_the_file(team):
    rows = "".join(f"d{n}@mission.example,Delegate,{n},Mission\n" for n in range(3000))
    content = (NAMES + rows + ROW).encode("cp1252")

    contact_import = import_now(team, upload(content))

    assert contact_import.encoding == "cp1252"
    assert Contact.objects.get(email__startswith="anais").last_name == "Lefèvre"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_each_delimiter_is_recognised(team, delimiter):
    text = (
        delimiter.join(["E-mail", "First name", "Last name", "Tags"]) + "\r\n"
        + delimiter.join(["kofi@ghana-mission.example", "Kofi", "Mensah", '"focal point, G77"'])
        + "\r\n"
    )  # fmt: skip

    contact_import = import_now(team, upload(text))

    contact = Contact.objects.get(team=team)
    assert (contact.email, contact.first_name, contact.last_name) == (
        "kofi@ghana-mission.example", "Kofi", "Mensah",
    )  # fmt: skip
    assert sorted(contact.tags.values_list("name", flat=True)) == ["G77", "focal point"]
    assert contact_import.delimiter == delimiter


def test_an_xlsx_workbook_is_imported_with_numbers_and_blank_rows_as_they_are(team):
    content = xlsx_bytes(
        [
            ["Contacts of the Peace Institute"],
            [],
            ["Email", "First name", "Last name", "Country", "Tags"],
            ["amina@senegal-mission.example", "Amina", "Diallo", "Senegal", "focal point; G77"],
            [None, None, None, None, None],
            ["not-an-address", "Bad", "Row", "SN", None],
            ["jan@netherlands.example", "Jan", 2024, "NL", None],
        ]
    )

    contact_import = import_now(team, upload(content, name="contacts.xlsx"))

    assert contact_import.file_format == "xlsx"
    assert contact_import.header_row == 3
    assert (contact_import.total, contact_import.created, contact_import.refused) == (3, 2, 1)
    assert list(contact_import.errors.values_list("row", "field")) == [(6, "email")]
    amina = Contact.objects.get(email="amina@senegal-mission.example")
    assert amina.country == "SN"
    assert sorted(amina.tags.values_list("name", flat=True)) == ["G77", "focal point"]
    assert Contact.objects.get(email="jan@netherlands.example").last_name == "2024"


def test_a_header_below_title_rows_is_found_and_rows_keep_their_numbers(team):
    text = "Guest list;;\n;;\nCourriel;Prénom;Nom\nbad;X;Y\nok@mission.example;Ok;Row\n"

    contact_import = import_now(team, upload(text))

    assert contact_import.header_row == 3
    assert list(contact_import.errors.values_list("row", "field")) == [(4, "email")]


def assert_refused(team, file, words):
    with pytest.raises(ValidationError) as refusal:
        imports.import_create(actor=SYSTEM, team=team, user=None, upload=file, start=True)
    assert words in refusal.value.message_dict["file"][0]
    assert not ContactImport.objects.exists()
    assert not Contact.objects.exists()


def test_an_empty_file_is_refused_and_nothing_is_stored(team, media_in_tmp):
    assert_refused(team, upload(b""), "empty")
    assert_refused(team, upload(b"\n\n  \n"), "empty")
    assert not any(media_in_tmp.rglob("*.*")) if media_in_tmp.exists() else True


def test_a_file_over_the_size_limit_is_refused(team, settings, media_in_tmp):
    settings.CONTACT_IMPORT_MAX_BYTES = 1000
    content = NAMES + ROW * 20

    assert_refused(team, upload(content), "larger than 1000")
    assert not media_in_tmp.exists() or not any(media_in_tmp.rglob("*.*"))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "contacts.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "contacts.xlsx"),
        (b"PK\x03\x04 not really a workbook", "contacts.xlsx"),
        (bytes(range(256)) * 4, "contacts.csv"),
    ],
    ids=["pdf named csv", "png named xlsx", "broken zip", "binary"],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_by_its_content(team, content, name):
    assert_refused(team, upload(content, name=name), "neither a CSV file nor an Excel workbook")


def test_a_word_document_is_refused_though_it_is_a_zip_too(team):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    assert_refused(team, upload(buffer.getvalue(), name="contacts.xlsx"), "neither")


def test_a_csv_file_the_reader_cannot_read_is_refused_with_why(team):
    content = 'email,notes\na@m.example,"' + "x" * 200_000 + '"\n'

    assert_refused(team, upload(content), "could not be read as CSV")


def test_an_old_excel_file_is_refused_with_what_to_do(team):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600

    assert_refused(team, upload(content, name="contacts.xls"), "Save it as .xlsx or CSV")


def test_a_file_without_an_email_column_is_refused_when_started_at_once(team):
    with pytest.raises(ValidationError) as refusal:
        imports.import_create(
            actor=SYSTEM,
            team=team,
            user=None,
            upload=upload("name,organization\nKofi,Ghana\n"),
            start=True,
        )

    assert "email addresses" in refusal.value.message_dict["mapping"][0]
    assert not ContactImport.objects.exists()
