"""Data that is never published wrong, end to end through the smsprov CLI
(and so the provider API):

- a source WIM with a damaged compressed chunk is refused on import and on
  refresh (ErrorCode 1392, a sentence saying the source is damaged), the
  previous content stays and no temporary file is left;
- a source verified once is not verified again while it is unchanged (the
  status queue of the second refresh has no source verification step);
- a solid LZMS source (an ESD made by wimlib-imagex export --solid) is
  published as an LZX boot WIM;
- a full disk reports ErrorCode 112 with a sentence saying the disk is
  full (the content folder on a small tmpfs in a private mount namespace;
  skipped when this machine does not allow mounting one).

Every published WIM passes wimlib-imagex verify (PublishedWimsVerified)."""
import os
import shutil
import sqlite3
import subprocess
import unittest

from servicing_harness import (BOOT, Inputs, PublishedWimsVerified, ServicingSite, run, sha256,
                               verify_with_7z, verify_with_wimlib, wim_info)

INPUTS = None


def setUpModule():
    global INPUTS
    INPUTS = Inputs("integrity")


def largest_resource(wim):
    """(offset, size) of the largest file resource, from wimlib-imagex
    info --blobs."""
    r = run("wimlib-imagex", "info", wim, "--blobs")
    assert r.returncode == 0, r.stderr
    best, entry = (0, 0), {}
    for line in r.stdout.splitlines() + [""]:
        if "=" in line:
            key, _, value = line.partition("=")
            entry[key.strip()] = value.strip()
            continue
        if entry.get("Offset in WIM") and "METADATA" not in entry.get("Flags", ""):
            size = int(entry.get("Compressed size", "0").split()[0])
            if size > best[1]:
                best = (int(entry["Offset in WIM"].split()[0]), size)
        entry = {}
    assert best[1] > 4096, r.stdout
    return best


def damage(wim):
    """Flips 64 bytes in the middle of the WIM's largest compressed resource."""
    offset, size = largest_resource(wim)
    with open(wim, "r+b") as f:
        f.seek(offset + size // 2)
        data = f.read(64)
        f.seek(offset + size // 2)
        f.write(bytes(b ^ 0xA5 for b in data))


def queue_texts(site, context):
    with sqlite3.connect(site.db) as db:
        return [row[0] for row in db.execute(
            "SELECT ProgressText FROM smsprov_job_status WHERE ContextID = ? ORDER BY Seq",
            (context,))]


class DamagedSourceTest(PublishedWimsVerified):

    def setUp(self):
        self.site = ServicingSite("damaged", INPUTS)
        good = INPUTS.local(INPUTS.image("payload.wim", "--arch", "x64", "--payload-mb", "4"))
        self.name = f"damaged-{self.id().rsplit('.', 1)[-1]}.wim"
        self.local = os.path.join(INPUTS.sources, self.name)
        shutil.copyfile(good, self.local)
        self.unc = "\\\\lab\\sources\\" + self.name

    def assert_refused(self, r, context):
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041001", r.err)
        self.assertIn("is damaged", r.err)
        self.assertIn(self.name, r.err)
        status = self.site.status(context)
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 1392)
        self.assertIn("is damaged", status["ExtendedErrorInfo"])
        if os.path.isdir(self.site.content):
            self.assertEqual([n for n in os.listdir(self.site.content) if n.startswith(".")],
                             [])

    def test_import_of_a_damaged_source_publishes_nothing(self):
        damage(self.local)
        self.assertFalse(verify_with_wimlib(self.local)[0])
        r = self.site.run("create", BOOT, "Name=damaged", f"ImagePath={self.unc}",
                          "ContextID=damaged-import")
        self.assert_refused(r, "damaged-import")
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])
        self.assertFalse(os.path.exists(self.site.content_wim("LAB00001")))

    def test_refresh_from_a_source_damaged_since_keeps_the_content(self):
        path = self.site.create(BOOT, "Name=damaged", f"ImagePath={self.unc}")
        wim = self.site.content_wim("LAB00001")
        before_hash, before = sha256(wim), self.site.get(path)
        damage(self.local)
        r = self.site.run("invoke", path, "RefreshPkgSource", "ContextID=damaged-refresh")
        self.assert_refused(r, "damaged-refresh")
        self.assertEqual(sha256(wim), before_hash, "the published content changed")
        self.assertEqual(self.site.get(path)["SourceVersion"], before["SourceVersion"])


class VerifiedOnceTest(PublishedWimsVerified):

    def setUp(self):
        self.site = ServicingSite("verified", INPUTS)
        self.unc = INPUTS.image("payload.wim", "--arch", "x64", "--payload-mb", "4")

    def test_unchanged_source_is_verified_once_and_recorded(self):
        path = self.site.create(BOOT, "Name=once", f"ImagePath={self.unc}", "ContextID=v-1")
        self.assertTrue(any(t.startswith("Verifying the source image")
                            for t in queue_texts(self.site, "v-1")))
        with sqlite3.connect(self.site.db) as db:
            rows = db.execute("SELECT Path, Identity FROM smsprov_file_marks "
                              "WHERE Kind = 'verified-source'").fetchall()
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][0], INPUTS.local(self.unc))
        self.assertIn("guid=", rows[0][1])
        self.site.ok("invoke", path, "RefreshPkgSource", "ContextID=v-2")
        texts = queue_texts(self.site, "v-2")
        self.assertFalse(any(t.startswith("Verifying the source image") for t in texts), texts)
        self.assertTrue(any(t.startswith("Verifying boot.LAB00001.wim") for t in texts), texts)


class SolidSourceTest(PublishedWimsVerified):

    def setUp(self):
        self.site = ServicingSite("solid", INPUTS)
        good = INPUTS.local(INPUTS.image("payload.wim", "--arch", "x64", "--payload-mb", "4"))
        self.esd = os.path.join(INPUTS.sources, "boot.esd")
        if not os.path.exists(self.esd):
            r = run("wimlib-imagex", "export", good, "1", self.esd, "--solid", "--boot")
            self.assertEqual(r.returncode, 0, r.stderr)
        info = wim_info(self.esd)
        self.assertEqual(info["Compression"], "LZMS", info)

    def test_esd_source_is_published_as_lzx(self):
        self.site.create(BOOT, "Name=esd", "ImagePath=\\\\lab\\sources\\boot.esd")
        wim = self.site.content_wim("LAB00001")
        info = wim_info(wim)
        self.assertEqual(info["Compression"], "LZX", info)
        self.assertEqual(info["Chunk Size"], "32768 bytes", info)
        self.assertEqual(info["Version"], "68864", info)
        self.assertEqual(info["Boot Index"], "1", info)
        ok, out = verify_with_7z(wim)
        self.assertTrue(ok, out)


def can_mount_tmpfs(where):
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                        f'mount -t tmpfs -o size=1m tmpfs "{where}"'],
                       capture_output=True, text=True, timeout=30)
    return r.returncode == 0


class DiskFullTest(PublishedWimsVerified):
    """The content folder is a 3 MiB tmpfs, mounted in a private mount
    namespace around the smsprov call (so nothing outlives the test), and
    the image is larger than that."""

    def setUp(self):
        self.site = ServicingSite("diskfull", INPUTS)
        self.unc = INPUTS.image("payload.wim", "--arch", "x64", "--payload-mb", "4")
        os.makedirs(self.site.content, exist_ok=True)
        if not can_mount_tmpfs(self.site.content):
            self.skipTest("mounting a tmpfs in a private mount namespace is not permitted here")

    def test_full_disk_reports_disk_full(self):
        args = self.site.base_args() + ["create", BOOT, "Name=full", f"ImagePath={self.unc}",
                                        "ContextID=full"]
        script = f'mount -t tmpfs -o size=3m tmpfs "{self.site.content}" && exec "$@"'
        r = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                            "sh"] + args, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("disk is full", r.stderr)
        status = self.site.status("full")
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 112, status)
        self.assertIn("disk is full", status["ExtendedErrorInfo"])
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
