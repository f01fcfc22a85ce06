"""Compile locale/*/LC_MESSAGES/*.po into the .mo files Django reads, with Babel (pure Python).

The .mo files are build output, never committed: `make install`, the Docker image and the test
command run this, so nobody needs GNU gettext. Fuzzy entries are left out, as msgfmt does.
With no catalogues yet it compiles nothing and says so.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def compile_catalogues(locale_dir: Path = ROOT / "locale") -> list[Path]:
    """Write each catalogue's .mo beside it; returns the .mo files written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
        written.append(mo_path)
    return written


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    locale_dir = Path(argv[0]) if argv else ROOT / "locale"
    written = compile_catalogues(locale_dir)
    names = ", ".join(str(path.relative_to(locale_dir)) for path in written) or "none found"
    print(f"Compiled catalogues: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
