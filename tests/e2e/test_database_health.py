"""The database failing loudly: a real smsprovd whose database files are
deleted, replaced or truncated while it runs, driven over WS-Management.

- Deleting the database files: the server must not acknowledge writes into
  the unlinked file (they would be gone at the next start).  A write is
  refused with WBEM_E_FAILED and a sentence, creates no new database file,
  reads of what was acknowledged still work, and the log says it once.
- Truncating the -shm file SQLite maps (as another program may): the next
  access of the mapping would kill the server with SIGBUS and nothing in
  the log.  Every request is refused with a sentence instead, the server
  keeps running and stops cleanly, and the log says it once."""
import os
import sqlite3
import unittest

from wsman_harness import CIM_URI, Server, create, get, package_id_of

BOOT = "SMS_BootImagePackage"

WBEM_E_FAILED = 0x80041001


def log_text(server):
    with open(server.log, encoding="utf-8", errors="replace") as f:
        return f.read()


def error_lines(server, words):
    """Log lines of type 3 (error) holding words: the one sentence the
    server writes when it notices (each refused request adds its own
    warning line with the fault)."""
    return [line for line in log_text(server).splitlines()
            if words in line and 'type="3"' in line]


class DatabaseHealthTest(unittest.TestCase):

    def setUp(self):
        self.server = Server(self.id().rsplit(".", 1)[-1])
        self.client = self.server.client()
        self.db = os.path.join(self.server.dir, "site.db")
        root = self.client.send(create(BOOT, [("Name", "before")]))
        self.pid = package_id_of(root)

    def tearDown(self):
        if not self.server.stderr.closed:
            self.server.stop()  # exits 0, no sanitizer report

    def assert_refused(self, envelope, words):
        f = self.client.fault(envelope)
        self.assertIn(words, f.text)
        self.assertIn("%08x" % WBEM_E_FAILED, f.text.lower())
        return f

    def test_deleted_database_refuses_writes_and_keeps_reads(self):
        for suffix in ("", "-wal", "-shm"):
            os.unlink(self.db + suffix)
        self.assert_refused(create(BOOT, [("Name", "after")]), "was deleted")
        self.assert_refused(create(BOOT, [("Name", "again")]), "was deleted")
        self.assertTrue(self.server.alive())
        self.assertFalse(os.path.exists(self.db), "a refused write created a new database")
        # What was acknowledged is still served from the open file.
        root = self.client.send(get(CIM_URI + BOOT, [("PackageID", self.pid)]))
        self.assertIn("before", root.find(".//{*}Name").text)
        lines = error_lines(self.server, "was deleted while the server ran")
        self.assertEqual(len(lines), 1, log_text(self.server))
        self.assertIn(self.db, lines[0])

    def test_replaced_database_refuses_writes(self):
        copy = self.db + ".copy"
        with sqlite3.connect(self.db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        os.replace(copy, self.db)
        before = os.stat(self.db)
        self.assert_refused(create(BOOT, [("Name", "after")]), "was replaced")
        after = os.stat(self.db)
        self.assertEqual((before.st_ino, before.st_size, before.st_mtime_ns),
                         (after.st_ino, after.st_size, after.st_mtime_ns))
        self.assertEqual(len(error_lines(self.server, "was replaced by another file")), 1)

    def test_truncated_shm_is_refused_instead_of_sigbus(self):
        os.truncate(self.db + "-shm", 0)
        self.assert_refused(get(CIM_URI + BOOT, [("PackageID", self.pid)]), "was truncated")
        self.assert_refused(create(BOOT, [("Name", "after")]), "was truncated")
        self.assertTrue(self.server.alive(), "smsprovd died: " + self.server.read_stderr())
        lines = error_lines(self.server, "shared-memory file")
        self.assertEqual(len(lines), 1, log_text(self.server))
        self.assertIn("was truncated by another program", lines[0])
        self.server.stop()
        # Nothing refused reached the file: a restart sees only "before".
        with sqlite3.connect(self.db) as db:
            table = '"root_sms_site_LAB.SMS_BootImagePackage"'
            names = [r[0] for r in db.execute(f'SELECT "Name" FROM {table}')]
        self.assertEqual(names, ["before"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
