"""make backup / make restore: a dump of the real test database restores elsewhere.

scripts/backup.sh dumps the test PostgreSQL (pg_dump -Fc) and the media
folder; scripts/restore.sh restores the dump into a scratch database made
with CREATE DATABASE, where the same rows are found.
"""

import os
import subprocess
import uuid
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from enterprises.models import Enterprise, WorkforceRecord
from tests.enterprises.factories import EnterpriseFactory, WorkforceFactory, ZoneFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name}"


def _server():
    s = connection.settings_dict
    return psycopg2.connect(host=s["HOST"], port=s["PORT"], user=s["USER"],
                            password=s.get("PASSWORD") or None, dbname="postgres")


@pytest.fixture
def scratch_database():
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL dumps")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    server = _server()
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    server.close()


def _run(script: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / script), *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)


def test_backup_restores_the_same_rows_and_media(tmp_path, scratch_database):
    zone = ZoneFactory(code="HX", name="Khu công nghiệp Hòa Xá")
    companies = [EnterpriseFactory(zone=zone, name=f"Công ty TNHH Đức Thành {i}")
                 for i in range(3)]
    WorkforceFactory(enterprise=companies[0], as_of=date(2026, 6, 30), total_workers=1250,
                     female_workers=700)
    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "bao-cao.xlsx").write_bytes(b"PK fake workbook")
    backups = tmp_path / "backups"

    backup = _run("backup.sh", env={"DATABASE_URL": _url(connection.settings_dict["NAME"]),
                                    "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)})
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == backups and dump.suffix == ".dump" and dump.stat().st_size > 0
    assert dump.with_name(dump.name.replace(".dump", ".media.tar.gz")).exists()
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: owner only

    restored_media = tmp_path / "restored" / "media"
    refused = _run("restore.sh", str(dump), env={"DATABASE_URL": _url(scratch_database),
                                                 "MEDIA_ROOT": str(restored_media),
                                                 "FORCE": "0"})
    assert refused.returncode != 0 and "FORCE=1" in refused.stderr  # no terminal: asks, refuses

    restore = _run("restore.sh", str(dump), env={"DATABASE_URL": _url(scratch_database),
                                                 "MEDIA_ROOT": str(restored_media),
                                                 "FORCE": "1"})
    assert restore.returncode == 0, restore.stderr

    s = connection.settings_dict
    copy = psycopg2.connect(host=s["HOST"], port=s["PORT"], user=s["USER"],
                            password=s.get("PASSWORD") or None, dbname=scratch_database)
    try:
        with copy.cursor() as cursor:
            cursor.execute(f"SELECT tax_code, name FROM {Enterprise._meta.db_table} ORDER BY tax_code")
            assert cursor.fetchall() == sorted((e.tax_code, e.name) for e in companies)
            cursor.execute(f"SELECT total_workers, female_workers, as_of "
                           f"FROM {WorkforceRecord._meta.db_table}")
            assert cursor.fetchall() == [(1250, 700, date(2026, 6, 30))]
            cursor.execute(f"SELECT count(*) FROM {Enterprise.history.model._meta.db_table}")
            assert cursor.fetchone()[0] == Enterprise.history.count()
            cursor.execute("SELECT count(*) FROM django_migrations")
            with connection.cursor() as ours:
                ours.execute("SELECT count(*) FROM django_migrations")
                assert cursor.fetchone()[0] == ours.fetchone()[0]
    finally:
        copy.close()
    assert (restored_media / "reports" / "bao-cao.xlsx").read_bytes() == b"PK fake workbook"

    # Restoring again over the restored copy (--clean) changes nothing.
    again = _run("restore.sh", str(dump), env={"DATABASE_URL": _url(scratch_database),
                                               "MEDIA_ROOT": str(restored_media),
                                               "FORCE": "1"})
    assert again.returncode == 0, again.stderr


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    result = _run("backup.sh", env={"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                                    "BACKUP_DIR": str(tmp_path / "b")})
    assert result.returncode == 2
    assert "not a PostgreSQL database" in result.stderr
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
