"""Every user-facing message has a Spanish translation (Spanish is the default language)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_is_translated_to_spanish():
    with open(ROOT / "caseflow/translations/es/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "caseflow"), method_map=[("**.py", "python")],
            keywords={"gettext": None, "lazy_gettext": None, "_": None, "ngettext": (1, 2)},
        )
        if isinstance(message, str)
    }
    assert found, "no messages extracted"
    assert sorted(found - translated) == []
