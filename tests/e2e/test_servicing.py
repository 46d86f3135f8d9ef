"""Boot image servicing end to end through the smsprov CLI (and so the
provider API): S-1 (add a boot image from a WIM), S-9 (poll the injection
with QueryOSDBinaryInjectionStatus, then DeleteContextID), S-8, S-11 and
S-14, the failure shapes, and four injections at once.

Every content WIM is checked with tools that share no code with smsprov's
writer where possible: wimlib-imagex verify/dir/extract/info and 7-Zip's
own WIM decoder; the expected file list is read from osdinjection.xml with
ElementTree."""
import contextlib
import json
import math
import os
import re
import signal
import sqlite3
import subprocess
import time
import unittest

from servicing_harness import (BOOT, CONTENT_UNC, MKWINPE, Inputs, PublishedWimsVerified,
                               ServicingSite, expected_files, package_path, run, sha256,
                               verify_with_7z, verify_with_wimlib, wim_files, wim_info,
                               wim_text)

OSIP = "SMS_OperatingSystemInstallPackage"
INPUTS = None


def setUpModule():
    global INPUTS
    INPUTS = Inputs("servicing")


class AddBootImageTest(PublishedWimsVerified):
    """S-1: Put a boot image with ImagePath and ImageIndex; the import job
    builds boot.<PackageID>.wim in the content folder."""

    def setUp(self):
        self.site = ServicingSite("s1", INPUTS)
        self.source_unc = INPUTS.image("boot_x64.wim", "--arch", "x64")
        self.source = INPUTS.local(self.source_unc)

    def test_import_builds_a_verified_content_wim_with_every_osd_file(self):
        source_hash = sha256(self.source)
        path = self.site.create(BOOT, "Name=Boot image (x64)", "Description=S-1",
                                f"ImagePath={self.source_unc}", "ImageIndex=1",
                                "ContextID=s1-import")
        self.assertEqual(path, package_path("LAB00001"))
        wim = self.site.content_wim("LAB00001")
        self.assertTrue(os.path.isfile(wim))

        ok, out = verify_with_wimlib(wim)
        self.assertTrue(ok, out)
        ok, out = verify_with_7z(wim)
        self.assertTrue(ok, out)
        info = wim_info(wim)
        self.assertEqual(info["Image Count"], "1")
        self.assertEqual(info["Boot Index"], "1")

        files = wim_files(wim)
        missing = expected_files(INPUTS, "x64", ["00000409"]) - files
        self.assertEqual(missing, set())
        winpeshl = wim_text(wim, "/Windows/System32/winpeshl.ini", self.site.dir)
        self.assertIn("[LaunchApps]", winpeshl)
        self.assertIn("%SYSTEMDRIVE%\\sms\\bin\\x64\\TsBootShell.exe", winpeshl)
        shell = wim_text(wim, "/Windows/System32/TsBootShell.ini", self.site.dir)
        self.assertIn("EnableDebugShell=false", shell)

        self.assertEqual(sha256(self.source), source_hash, "the source WIM changed")

        obj = self.site.get(path)
        self.assertEqual(obj["PackageType"], 258)
        self.assertEqual(obj["Architecture"], "x64")
        self.assertEqual(obj["ImageOSVersion"], "10.0.22621.1")
        self.assertEqual(obj["ImageIndex"], 1)
        self.assertEqual(obj["SourceVersion"], 1)
        self.assertEqual(obj["PkgSourceFlag"], 2)
        self.assertEqual(obj["PkgSourcePath"], CONTENT_UNC + "\\boot.LAB00001.wim")
        self.assertEqual(obj["PackageSize"], math.ceil(os.path.getsize(wim) / 1024))
        self.assertEqual(obj["Language"], "en-US")
        self.assertIn('<Property Name="Language">en-US</Property>', obj["ImageProperty"])
        # the raw WIM ARCH code (9 = x64), as live sites write it
        self.assertIn('<Property Name="Architecture">9</Property>', obj["ImageProperty"])
        self.assertIn('Bootable="true"', obj["ImageDiskLayout"])
        self.assertEqual(obj["SecuredScopeNames"], ["Default"])

        status = self.site.status("s1-import")
        self.assertEqual(status["Status"], 0)
        self.assertEqual(status["Progress"], status["MaxProgress"])
        self.assertEqual(status["ErrorCode"], 0)

    def test_image_index_picks_the_image_and_lab_shell_sets_debug_shell(self):
        unc = INPUTS.image("setup_x64.wim", "--arch", "x64", "--second-image")
        self.site.create(BOOT, "Name=Setup", f"ImagePath={unc}", "ImageIndex=2",
                         "EnableLabShell=true")
        wim = self.site.content_wim("LAB00001")
        info = wim_info(wim)
        self.assertEqual(info["Image Count"], "1")
        self.assertEqual(info["Boot Index"], "1")
        self.assertIn("/sources/setup.exe", wim_files(wim))
        shell = wim_text(wim, "/Windows/System32/TsBootShell.ini", self.site.dir)
        self.assertIn("EnableDebugShell=true", shell)
        self.assertIn("Microsoft Windows Setup", self.site.get(package_path("LAB00001"))
                      ["ImageProperty"])

    def test_path_outside_every_share_is_refused_and_nothing_is_created(self):
        r = self.site.run("create", BOOT, "Name=bad", "ImagePath=\\\\elsewhere\\x\\boot.wim")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041008", r.err)
        self.assertIn("\\\\elsewhere\\x\\boot.wim", r.err)
        r = self.site.run("create", BOOT, "Name=bad",
                          "ImagePath=\\\\lab\\sources\\..\\..\\etc\\passwd")
        self.assertEqual(r.code, 1, r)
        self.assertIn("..", r.err)
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])

    def test_failed_import_leaves_no_package_and_reports_in_the_queue(self):
        r = self.site.run("create", BOOT, "Name=missing",
                          "ImagePath=\\\\lab\\sources\\nosuch.wim", "ContextID=s1-missing")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041001", r.err)
        self.assertIn("nosuch.wim", r.err)
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])
        status = self.site.status("s1-missing")
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 2)
        self.assertTrue(status["ExtendedErrorInfo"].endswith("nosuch.wim"), status)


    def test_image_index_the_wim_lacks_reports_invalid_parameter(self):
        r = self.site.run("create", BOOT, "Name=index", f"ImagePath={self.source_unc}",
                          "ImageIndex=7", "ContextID=s1-index")
        self.assertEqual(r.code, 1, r)
        self.assertIn("7", r.err)
        self.assertEqual(self.site.ok("enum", BOOT, json_output=True).json(), [])
        status = self.site.status("s1-index")
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 87)


class PollInjectionTest(PublishedWimsVerified):
    """S-9: another process polls QueryOSDBinaryInjectionStatus while a
    refresh runs; progress never goes back and the queue ends Complete;
    DeleteContextID drops it."""

    def setUp(self):
        self.site = ServicingSite("s9", INPUTS)
        unc = INPUTS.image("boot_big.wim", "--arch", "x64", "--payload-mb", "60")
        self.path = self.site.create(BOOT, "Name=big", f"ImagePath={unc}")

    def test_poll_while_refreshing(self):
        before = self.site.get(self.path)
        proc = subprocess.Popen(self.site.base_args() + ["invoke", self.path, "RefreshPkgSource",
                                                         "ContextID=s9-poll"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.wait_for_start(proc, "s9-poll")
            # One poll sees the job in progress whatever the machine's speed:
            # the refresh is held still while it runs.
            with self.frozen(proc):
                status = self.site.status("s9-poll")
        except BaseException:
            proc.kill()
            proc.communicate()
            raise
        seen = [(status["Status"], status["Progress"], status["MaxProgress"])]
        self.assertEqual(seen[0][0], 1, "the frozen job was not in progress: %s" % status)
        while proc.poll() is None:
            status = self.site.status("s9-poll")
            seen.append((status["Status"], status["Progress"], status["MaxProgress"]))
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 0, err)
        final = self.site.status("s9-poll")
        seen.append((final["Status"], final["Progress"], final["MaxProgress"]))
        self.assertEqual(final["Status"], 0)
        self.assertEqual(final["Progress"], final["MaxProgress"])
        progress = [p for s, p, _ in seen if s != 3]
        self.assertEqual(progress, sorted(progress), seen)
        self.assertTrue(all(s in (0, 1) for s, _, _ in seen), seen)

        # Every entry of the queue, as stored, also only goes forward.
        db = sqlite3.connect(self.site.db)
        rows = db.execute("SELECT Status, Progress, MaxProgress, At FROM smsprov_job_status "
                          "WHERE ContextID = 's9-poll' ORDER BY Seq").fetchall()
        db.close()
        self.assertGreaterEqual(len(rows), 5)
        self.assertEqual([r[1] for r in rows], sorted(r[1] for r in rows))
        self.assertEqual([r[0] for r in rows[:-1]], [1] * (len(rows) - 1))
        self.assertEqual(rows[-1][0], 0)
        self.assertTrue(all(re.match(r"^\d{14}\.\d{6}\+000$", r[3]) for r in rows))

        after = self.site.get(self.path)
        self.assertEqual(after["SourceVersion"], before["SourceVersion"] + 1)
        self.assertGreater(after["LastRefreshTime"], before["LastRefreshTime"])
        self.assertNotEqual(after["SedoObjectVersion"], before["SedoObjectVersion"])

        self.site.ok("invoke", BOOT, "DeleteContextID", "ContextID=s9-poll")
        self.assertEqual(self.site.status("s9-poll")["Status"], 3)
        self.assertEqual(self.site.status("never-used")["Status"], 3)

    def wait_for_start(self, proc, context):
        """Until the job layer has written "Job N started: ..., context ID C"
        to SMSProv.log (beside the database) and the status queue holds an
        In progress entry: polling before then only shows the CLI starting
        up, and under ASan on a loaded machine a CLI process per poll could
        outlast the whole refresh."""
        log = os.path.join(self.site.dir, "SMSProv.log")
        started = re.compile(r"Job \d+ started: [^,]*, context ID %s," % re.escape(context))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            self.assertIsNone(proc.poll(), "the refresh ended before its start was logged")
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as f:
                    if started.search(f.read()) and self.in_progress_rows(context):
                        return
            time.sleep(0.005)
        self.fail("the refresh did not start within 120 s")

    def in_progress_rows(self, context):
        db = sqlite3.connect("file:%s?mode=ro" % self.site.db, uri=True, timeout=30)
        try:
            return db.execute("SELECT COUNT(*) FROM smsprov_job_status WHERE ContextID = ? "
                              "AND Status = 1", (context,)).fetchone()[0]
        finally:
            db.close()

    @contextlib.contextmanager
    def frozen(self, proc):
        """proc stopped (SIGSTOP) at a moment it holds no write lock on the
        database, so the poll's own writes (opening the site) never wait for
        it; continued (SIGCONT) on leaving."""
        for _ in range(1000):
            proc.send_signal(signal.SIGSTOP)
            if self.write_lock_free():
                break
            proc.send_signal(signal.SIGCONT)
            time.sleep(0.002)
        else:
            self.fail("the refresh never let go of the database's write lock")
        try:
            yield
        finally:
            proc.send_signal(signal.SIGCONT)

    def write_lock_free(self):
        db = sqlite3.connect(self.site.db, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            db.close()


class RefreshTest(PublishedWimsVerified):
    """S-14 and the failure shape of a refresh."""

    def setUp(self):
        self.site = ServicingSite("refresh", INPUTS)
        unc = INPUTS.image("boot_x64.wim", "--arch", "x64")
        self.path = self.site.create(BOOT, "Name=refresh", f"ImagePath={unc}",
                                     "ContextID=refresh-ctx")
        self.wim = self.site.content_wim("LAB00001")

    def test_missing_osd_binary_fails_and_keeps_the_previous_content(self):
        binary = os.path.join(INPUTS.configmgr, "bin", "x64", "TsManager.exe")
        aside = binary + ".aside"
        before_hash = sha256(self.wim)
        before = self.site.get(self.path)
        os.rename(binary, aside)
        try:
            r = self.site.run("invoke", self.path, "RefreshPkgSource", "ContextID=refresh-miss")
        finally:
            os.rename(aside, binary)
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041001", r.err)
        self.assertIn("Failed to insert OSD binaries into the WIM file", r.err)
        self.assertIn("TsManager.exe", r.err)
        status = self.site.status("refresh-miss")
        self.assertEqual(status["Status"], 2)
        self.assertEqual(status["ErrorCode"], 2)
        self.assertTrue(status["ExtendedErrorInfo"].endswith("bin/x64/TsManager.exe"), status)
        self.assertIn("TsManager.exe", status["ProgressText"])
        self.assertEqual(sha256(self.wim), before_hash, "the previous content WIM changed")
        self.assertEqual(self.site.get(self.path)["SourceVersion"], before["SourceVersion"])
        self.assertEqual([n for n in os.listdir(self.site.content) if n.startswith(".")], [])

    def test_refresh_flag_put_reinjects_once_with_the_new_settings(self):
        before = self.site.get(self.path)
        obj = self.site.ok("set", self.path, "RefreshPkgSourceFlag=true", "EnableLabShell=true",
                           json_output=True).json()
        self.assertEqual(obj["SourceVersion"], before["SourceVersion"] + 1)
        self.assertFalse(obj["RefreshPkgSourceFlag"])
        shell = wim_text(self.wim, "/Windows/System32/TsBootShell.ini", self.site.dir)
        self.assertIn("EnableDebugShell=true", shell)
        # The package's own ContextID names the queue of a flag refresh.
        self.assertEqual(self.site.status("refresh-ctx")["Status"], 0)
        # Other changes do not touch SourceVersion.
        obj = self.site.ok("set", self.path, "Description=changed", json_output=True).json()
        self.assertEqual(obj["SourceVersion"], before["SourceVersion"] + 1)

    def test_update_image_and_update_default_image_rebuild_too(self):
        for method, version in (("UpdateImage", 2), ("UpdateDefaultImage", 3),
                                ("RefreshPkgSource", 4)):
            out = self.site.ok("invoke", self.path, method, json_output=True).json()
            self.assertEqual(out["ReturnValue"], 0)
            self.assertEqual(self.site.get(self.path)["SourceVersion"], version, method)
        self.assertTrue(verify_with_wimlib(self.wim)[0])

    def test_refresh_without_image_path_is_refused(self):
        bare = self.site.create(BOOT, "Name=bare")
        r = self.site.run("invoke", bare, "RefreshPkgSource")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041016", r.err)
        self.assertIn("ImagePath", r.err)
        r = self.site.run("set", bare, "RefreshPkgSourceFlag=true")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041008", r.err)
        self.assertEqual(self.site.get(bare)["SourceVersion"], 1)


class ConcurrencyTest(PublishedWimsVerified):
    """Four CLI processes import four boot images at once."""

    def test_four_concurrent_imports(self):
        site = ServicingSite("four", INPUTS, workers=2)
        site.ok("init")
        sources = [INPUTS.image("boot_x64.wim", "--arch", "x64"),
                   INPUTS.image("boot_x86_de.wim", "--arch", "x86", "--lang", "de-DE"),
                   INPUTS.image("boot_arm64_ja.wim", "--arch", "arm64", "--lang", "ja-JP",
                                "--lcid", "0411"),
                   INPUTS.image("boot_x64.wim", "--arch", "x64")]
        procs = [subprocess.Popen(site.base_args() + ["create", BOOT, f"Name=par{i}",
                                                      f"ImagePath={src}", f"ContextID=par{i}"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i, src in enumerate(sources)]
        results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
        for out, err, code in results:
            self.assertEqual(code, 0, err)
        expected = {"x64": ("x64", ["00000409"]), "x86": ("i386", ["00000409", "00000407"]),
                    "arm64": ("arm64", ["00000409", "00000411"])}
        packages = site.ok("enum", BOOT, json_output=True).json()
        self.assertEqual(len(packages), 4)
        for pkg in packages:
            wim = site.content_wim(pkg["PackageID"])
            self.assertTrue(verify_with_wimlib(wim)[0], wim)
            self.assertTrue(verify_with_7z(wim)[0], wim)
            img_arch, lcids = expected[pkg["Architecture"]]
            self.assertEqual(expected_files(INPUTS, img_arch, lcids) - wim_files(wim), set())
        for i in range(4):
            self.assertEqual(site.status(f"par{i}")["Status"], 0)


class ImageMethodsTest(PublishedWimsVerified):
    """GetImageProperties (static), ReloadImageProperties (S-8) on both
    classes, AddDistributionPoints (S-11) and AddChangeNotification."""

    def setUp(self):
        self.site = ServicingSite("image", INPUTS)
        self.unc = INPUTS.image("boot_x64.wim", "--arch", "x64")

    def test_get_image_properties_is_static_and_reads_every_image(self):
        unc = INPUTS.image("setup_x64.wim", "--arch", "x64", "--second-image")
        for cls in (BOOT, OSIP, "SMS_ImagePackage"):
            out = self.site.ok("invoke", cls, "GetImageProperties", f"SourceImagePath={unc}",
                               json_output=True).json()
            self.assertEqual(out["ReturnValue"], 0)
            self.assertIn('<IMAGE Index="1" Name="Microsoft Windows PE (x64)">',
                          out["ImageProperty"])
            self.assertIn('<IMAGE Index="2" Name="Microsoft Windows Setup (x64)">',
                          out["ImageProperty"])
        r = self.site.run("invoke", BOOT, "GetImageProperties",
                          "SourceImagePath=\\\\lab\\sources\\nosuch.wim")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041002", r.err)
        r = self.site.run("invoke", BOOT, "GetImageProperties", "SourceImagePath=C:\\x.wim")
        self.assertEqual(r.code, 1, r)
        self.assertIn("0x80041008", r.err)

    def test_reload_image_properties_of_an_os_install_package_reads_its_media(self):
        media = os.path.join(INPUTS.sources, "win11", "Sources")
        os.makedirs(media, exist_ok=True)
        install = os.path.join(media, "install.wim")
        if not os.path.exists(install):
            r = run(MKWINPE, "image", install,
                    "--arch", "x64", "--name", "Windows 11 Enterprise")
            self.assertEqual(r.returncode, 0, r.stderr)
        path = self.site.create(OSIP, "Name=Windows 11", "PkgSourceFlag=2",
                                "PkgSourcePath=\\\\lab\\sources\\win11")
        got = self.site.get(path)
        self.assertEqual(got["ImageProperty"], "")
        self.site.ok("invoke", path, "ReloadImageProperties")
        reloaded = self.site.get(path)
        self.assertIn("Windows 11 Enterprise", reloaded["ImageProperty"])
        # The documented sequence ends with a put of the object got before.
        self.assertEqual(reloaded["SedoObjectVersion"], got["SedoObjectVersion"])
        self.site.ok("set", path, "Description=after reload",
                     f"SedoObjectVersion={got['SedoObjectVersion']}")
        self.assertIn("Windows 11 Enterprise", self.site.get(path)["ImageProperty"])

    def test_reload_image_properties_of_a_boot_image(self):
        path = self.site.create(BOOT, "Name=reload", f"ImagePath={self.unc}")
        # The source changes outside the console: a new language and version.
        other = INPUTS.image("boot_x64_fr.wim", "--arch", "x64", "--lang", "fr-FR",
                             "--version", "10.0.26100.5")
        self.site.ok("set", path, f"ImagePath={other}")
        self.site.ok("invoke", path, "ReloadImageProperties")
        obj = self.site.get(path)
        self.assertEqual(obj["ImageOSVersion"], "10.0.26100.5")
        self.assertIn("fr-FR", obj["ImageProperty"])
        # A client's copy of the derived values does not overwrite them.
        self.site.ok("set", path, "ImageOSVersion=1.0", "ImageProperty=<WIM/>")
        obj = self.site.get(path)
        self.assertEqual(obj["ImageOSVersion"], "10.0.26100.5")
        self.assertIn("fr-FR", obj["ImageProperty"])

    def test_add_distribution_points_and_change_notification(self):
        path = self.site.create(BOOT, "Name=dp", f"ImagePath={self.unc}")
        nal1 = '["Display=\\\\DP1\\"]MSWNET:["SMS_SITE=LAB"]\\\\DP1\\'
        nal2 = '["Display=\\\\DP2\\"]MSWNET:["SMS_SITE=LAB"]\\\\DP2\\'
        self.site.ok("invoke", path, "AddDistributionPoints",
                     "SiteCode=" + json.dumps(["LAB", "LAB"]), "NALPath=" + json.dumps([nal1, nal2]))
        rows = self.site.ok("enum", "SMS_DistributionPoint", json_output=True).json()
        self.assertEqual(sorted(r["ServerNALPath"] for r in rows), [nal1, nal2])
        for r in rows:
            self.assertEqual(r["PackageID"], "LAB00001")
            self.assertEqual(r["ObjectTypeID"], 19)
            self.assertEqual(r["PackageType"], 258)
            self.assertEqual(r["Status"], 2)
            self.assertEqual(r["SiteCode"], "LAB")
        # Adding the same distribution point again keeps one row.
        self.site.ok("invoke", path, "AddDistributionPoints", 'SiteCode=["LAB"]',
                     "NALPath=" + json.dumps([nal1]))
        self.assertEqual(len(self.site.ok("enum", "SMS_DistributionPoint",
                                          json_output=True).json()), 2)
        version = self.site.get(path)["SourceVersion"]
        self.site.ok("invoke", path, "AddChangeNotification")
        rows = self.site.ok("enum", "SMS_DistributionPoint", json_output=True).json()
        self.assertEqual({r["Status"] for r in rows}, {1})
        self.assertEqual(self.site.get(path)["SourceVersion"], version)

        for args, word in ((['SiteCode=["LAB","LAB"]', "NALPath=" + json.dumps([nal1])],
                            "pair up"),
                           (['SiteCode=["toolong"]', "NALPath=" + json.dumps([nal1])],
                            "site code"),
                           (['SiteCode=["CEN"]', "NALPath=" + json.dumps([nal1])], "match"),
                           (['SiteCode=["LAB"]', 'NALPath=[""]'], "empty"),
                           (["SiteCode=[]", "NALPath=[]"], "no distribution point")):
            r = self.site.run("invoke", path, "AddDistributionPoints", *args)
            self.assertEqual(r.code, 1, r)
            self.assertIn("0x8004102F", r.err)
            self.assertIn(word, r.err)
        self.assertEqual(len(self.site.ok("enum", "SMS_DistributionPoint",
                                          json_output=True).json()), 2)


class OsImagePackageTest(unittest.TestCase):
    """S-5, S-6 and S-7 through the CLI: an SMS_ImagePackage from a
    three-image install.wim made by `mkwinpe install`."""

    def setUp(self):
        self.site = ServicingSite("os-image", INPUTS)
        local = os.path.join(INPUTS.sources, "install.wim")
        if not os.path.exists(local):
            r = run(MKWINPE, "install", local)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.unc = "\\\\lab\\sources\\install.wim"
        self.local = local

    def test_s5_s6_s7(self):
        digest = sha256(self.local)
        path = self.site.create("SMS_ImagePackage", "Name=Windows 11", "PkgSourceFlag=2",
                                f"PkgSourcePath={self.unc}")
        obj = self.site.get(path)
        self.assertEqual(obj["PackageType"], 257)
        for index, name, arch in (("1", "Windows 11 Enterprise", "9"), ("2", "Windows 10 Pro", "0"),
                                  ("3", "Windows 11 Pro", "12")):
            self.assertIn(f'<IMAGE Index="{index}" Name="{name}"><Property Name="Image name">',
                          obj["ImageProperty"])
        self.assertEqual(obj["ImageProperty"].count('<Property Name="Architecture">'), 3)
        self.assertIn('<Property Name="Architecture">12</Property>', obj["ImageProperty"])
        self.assertEqual(sha256(self.local), digest)  # read, never written
        out = self.site.ok("invoke", "SMS_ImagePackage", "GetImageProperties",
                           f"SourceImagePath={self.unc}", json_output=True).json()
        self.assertEqual(out["ImageProperty"], obj["ImageProperty"])
        # S-6, the sample: a new PkgSourcePath, then RefreshPkgSource
        other = INPUTS.image("one_image.wim", "--arch", "x86", "--name", "Lab x86")
        changed = self.site.ok("set", path, f"PkgSourcePath={other}", json_output=True).json()
        self.assertIn('Name="Lab x86"', changed["ImageProperty"])
        self.site.ok("invoke", path, "RefreshPkgSource")
        self.assertEqual(self.site.get(path)["SourceVersion"], 2)
        # S-6, the text: ReloadImageProperties, then put the object
        self.site.ok("set", path, f"PkgSourcePath={self.unc}")
        self.site.ok("invoke", path, "ReloadImageProperties")
        self.site.ok("set", path, "Description=reloaded")
        self.assertIn('Name="Windows 10 Pro"', self.site.get(path)["ImageProperty"])
        # RunOfflineServicingManager checks its request, then says why it cannot run
        r = self.site.run("invoke", "SMS_ImagePackage", "RunOfflineServicingManager",
                          "SiteCode=LAB", "ServerName=nosuchserver",
                          f"PackageID={obj['PackageID']}", "PackageType=257")
        self.assertEqual(r.code, 1, r)
        self.assertIn("ServerName", r.err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
