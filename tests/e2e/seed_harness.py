"""Fills a site database with many boot image packages quickly: one made by
`smsprov create`, the rest copies of it with their own PackageID and Name
written in one SQLite transaction (a put each would take minutes), and the
PackageID counter moved past them.  Shared by the streaming tests."""
import os
import sqlite3
import subprocess

from cli_harness import CLI, MOF_DIR

BOOT = "SMS_BootImagePackage"
TABLE = '"root_sms_site_LAB.SMS_BootImagePackage"'


def cli(db, *words):
    args = [CLI, "--db", db]
    if MOF_DIR:
        args += ["--mof", MOF_DIR]
    return subprocess.run(args + list(words), capture_output=True, text=True, check=True,
                          timeout=120).stdout


def seed(db, count):
    cli(db, "create", BOOT, "Name=Image 1", "Description=Seeded for streaming")
    conn = sqlite3.connect(db, timeout=30)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(%s)" % TABLE)]
    quoted = ", ".join('"%s"' % c for c in columns if c not in ("PackageID", "Name"))
    with conn:
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            'INSERT INTO %s ("PackageID", "Name", %s) '
            "SELECT printf('LAB%%05X', n.i), 'Image ' || n.i, %s FROM n, %s AS t "
            "WHERE t.\"PackageID\" = 'LAB00001'" % (TABLE, quoted, quoted, TABLE), (count,))
        conn.execute("UPDATE smsprov_counters SET value = ? WHERE name = 'PackageID.LAB'",
                     (count,))
    conn.close()


def copy_package(db, source_id, new_id):
    """Puts back a package under new_id, a copy of source_id."""
    conn = sqlite3.connect(db, timeout=30)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(%s)" % TABLE)]
    quoted = ", ".join('"%s"' % c for c in columns if c != "PackageID")
    with conn:
        conn.execute('INSERT INTO %s ("PackageID", %s) SELECT ?, %s FROM %s '
                     'WHERE "PackageID" = ?' % (TABLE, quoted, quoted, TABLE),
                     (new_id, source_id))
    conn.close()
