#!/usr/bin/env python
"""Fill empty Vietnamese translations from a JSON file {msgid: msgstr}.

Usage: .venv/bin/python scripts/po_apply.py translations.json
Needs polib (pip install polib); a maintainer's tool, not used at run time.
Prints the msgids still untranslated.
"""

import json
import sys

import polib

PO = "locale/vi/LC_MESSAGES/django.po"


def main(path: str) -> int:
    table = {}
    if path != "-":
        with open(path, encoding="utf-8") as handle:
            table = json.load(handle)
    po = polib.pofile(PO, wrapwidth=0)
    for entry in po:
        if entry.msgid in table and not entry.msgstr:
            entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags and entry.msgid in table:
            entry.flags.remove("fuzzy")
            entry.msgstr = table[entry.msgid]
    po.save(PO)
    missing = [e.msgid for e in po if not e.msgstr and not e.msgid_plural]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "-"))
