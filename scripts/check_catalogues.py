"""CI's catalogue check: every language Plenary offers is complete and in step with the code.

For each language in settings.LANGUAGES but English, locale/<locale>/LC_MESSAGES/django.po must
exist and have no untranslated and no fuzzy entry; each translation keeps its msgid's
placeholders (%(name)s, %s and {name}, as `msgfmt --check` and our email subjects need); and its
msgids are exactly those the code marks today (extracted with Django's makemessages, which needs
GNU gettext). Exits 1 and lists every problem, else 0.

    python scripts/check_catalogues.py [--pot FILE]   # FILE: msgids already extracted
"""

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# What makemessages reads besides the product's code: the same list as README's command.
IGNORED = {".venv", ".uv", ".git", "bench", "tests", "var", "locale", "node_modules", "docs"}

PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{(\w+)\}")


def placeholders(text: str, *, python_format: bool) -> list[str]:
    """The placeholders a string uses, sorted: %(name)s by name, %s by position, {name}."""
    found = [f"{{{name}}}" for name in BRACE.findall(text)]
    if python_format:
        for match in PERCENT.finditer(text):
            if match[0] == "%%":
                continue
            found.append(f"%({match[1]})" if match[1] else "%" + match[0][-1])
    return sorted(found)


def _key(message):
    return (message.context or "", message.id)


def _label(key) -> str:
    context, msgid = key
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return (f"[{context}] " if context else "") + repr(text)


def _placeholder_problems(message) -> list[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    python_format = "python-format" in message.flags or any(PERCENT.search(i) for i in ids)
    # Named placeholders ({name}, %(name)s) may appear in any order, so compare as sets;
    # a translation may drop the count in a plural form ("one" needs no number).
    expected = set().union(*(placeholders(i, python_format=python_format) for i in ids))
    problems = []
    for form, string in enumerate(strings):
        used = placeholders(string, python_format=python_format)
        if len(ids) == 1 and sorted(used) != placeholders(ids[0], python_format=python_format):
            problems.append(
                f"placeholders differ in {_label(_key(message))}: "
                f"{placeholders(ids[0], python_format=python_format)} → {used}"
            )
        elif len(ids) > 1 and not set(used) <= expected:
            problems.append(
                f"unknown placeholders in plural form {form} of {_label(_key(message))}: "
                f"{sorted(set(used) - expected)}"
            )
    return problems


def catalogue_problems(po_path: Path, source_keys: set | None) -> list[str]:
    """What is wrong with one catalogue; `source_keys` are the code's msgids (None: skip)."""
    if not po_path.is_file():
        return [f"{po_path}: missing"]
    # Babel prints what it cannot read ("WARNING: ...") and reads on: those are problems too.
    babel_says = io.StringIO()
    with po_path.open("rb") as po_file, contextlib.redirect_stdout(babel_says):
        catalogue = read_po(po_file)
    problems = [
        f"unreadable: {line.removeprefix('WARNING: ')}"
        for line in babel_says.getvalue().splitlines()
        if line.strip()
    ]
    keys = set()
    for message in catalogue:
        if not message.id:
            continue  # the header
        keys.add(_key(message))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {_label(_key(message))}")
        if not all(strings) or (len(strings) < catalogue.num_plurals and message.pluralizable):
            problems.append(f"untranslated: {_label(_key(message))}")
            continue
        if message.pluralizable and len(strings) != catalogue.num_plurals:
            problems.append(
                f"{len(strings)} plural forms where the language has {catalogue.num_plurals}: "
                f"{_label(_key(message))}"
            )
        problems.extend(_placeholder_problems(message))
    if source_keys is not None:
        problems += [
            f"new in the code, not in the catalogue: {_label(k)}"
            for k in sorted(source_keys - keys, key=str)
        ]
        problems += [
            f"obsolete, no longer in the code: {_label(k)}"
            for k in sorted(keys - source_keys, key=str)
        ]
    return [f"{po_path.relative_to(po_path.parents[2])}: {problem}" for problem in problems]


def read_keys(pot_path: Path) -> set:
    """The msgids of a template (.pot); its header's placeholder plural rule is made readable."""
    text = pot_path.read_bytes().replace(
        b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);"
    )
    return {_key(message) for message in read_po(io.BytesIO(text)) if message.id}


def extract_source_keys(root: Path = ROOT) -> set:
    """The msgids the code marks, from Django's makemessages run on a view of the tree that
    leaves out IGNORED, writing only into a temporary folder (never into locale/)."""
    from django.core.management import call_command
    from django.test import override_settings

    with tempfile.TemporaryDirectory() as temporary:
        tree, output = Path(temporary, "tree"), Path(temporary, "locale")
        tree.mkdir()
        output.mkdir()
        for entry in root.iterdir():
            if entry.name not in IGNORED and not entry.name.startswith("."):
                (tree / entry.name).symlink_to(entry)
        here = Path.cwd()
        os.chdir(tree)
        try:
            with override_settings(LOCALE_PATHS=[str(output)]):
                call_command(
                    "makemessages",
                    locale=["en"],
                    symlinks=True,
                    keep_pot=True,
                    no_obsolete=True,
                    verbosity=0,
                )
        finally:
            os.chdir(here)
        return read_keys(output / "django.pot")


def check(locale_dir: Path, languages, source_keys: set | None) -> list[str]:
    from django.utils.translation import to_locale

    problems = []
    for code in languages:
        if code == "en":
            continue
        po_path = locale_dir / to_locale(code) / "LC_MESSAGES" / "django.po"
        problems += catalogue_problems(po_path, source_keys)
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pot", type=Path, help="msgids already extracted (a .pot file)")
    parser.add_argument("--locale-dir", type=Path, default=ROOT / "locale")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    source_keys = read_keys(args.pot) if args.pot else extract_source_keys()
    languages = [code for code, _name in settings.LANGUAGES]
    problems = check(args.locale_dir, languages, source_keys)
    for problem in problems:
        print(problem)
    print(
        f"{len(problems)} problem(s) in the catalogues of {', '.join(languages)}"
        if problems
        else f"Catalogues complete and in step: {', '.join(languages)}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
