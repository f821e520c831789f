#!/usr/bin/env python
"""Fill empty Vietnamese translations from a JSON file {msgid: msgstr}.

Plural entries use the key "singular||plural" and a list of Vietnamese forms.

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
        if entry.msgid_plural:
            key = f"{entry.msgid}||{entry.msgid_plural}"
            if key in table and (not any(entry.msgstr_plural.values()) or "fuzzy" in entry.flags):
                value = table[key]
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(forms))
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            continue
        if entry.msgid in table and not entry.msgstr:
            entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags and entry.msgid in table:
            entry.flags.remove("fuzzy")
            entry.msgstr = table[entry.msgid]
    po.save(PO)
    missing = [e.msgid for e in po if not e.msgstr and not e.msgid_plural]
    missing += [f"{e.msgid}||{e.msgid_plural}" for e in po
                if e.msgid_plural and not any(e.msgstr_plural.values())]
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "-"))
