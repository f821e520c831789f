"""The interface speaks Vietnamese: every message of the code has its translation.

The catalogue is regenerated from a copy of the sources (as ``make
makemessages`` does) and merged with the committed Vietnamese one; a message
added to the code without a translation shows up as untranslated or fuzzy
(and would be shown in English).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".venv", ".git", "var", "node_modules", "staticfiles", "media",
                              "__pycache__", "*.mo", "tests")


def test_every_message_of_the_code_has_a_vietnamese_translation(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP, symlinks=True)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete",
                    "--ignore=.venv", "--ignore=var", "-v0"], cwd=copy, check=True)
    catalogue = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue)],
                            capture_output=True, text=True, check=True)
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), (
        f"{statistics}; missing:\n" + subprocess.run(
            ["msgattrib", "--untranslated", str(catalogue)],
            capture_output=True, text=True).stdout[:3000])
    assert int(statistics.split()[0]) > 1000
