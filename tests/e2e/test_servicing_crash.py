"""kill -9 at random moments during 50 boot image injections (imports and
refreshes through the CLI).  After a restart (the next smsprov run opens
the site):
  - no partial boot.*.wim: every content WIM passes wimlib-imagex verify,
    and no temporary file of an injection is left in the content folder;
  - no job is stuck: no job row queued or running, and no status queue
    whose latest entry is In progress;
  - the database passes PRAGMA integrity_check;
  - every package that has a PkgSourcePath has its content WIM.

The source images are tiny so the 50 runs stay well within two minutes;
each kill lands at a random point of a typical run's duration, measured
first."""
import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

from servicing_harness import BOOT, Inputs, ServicingSite, package_path, verify_with_wimlib

RUNS = 50
TIME_BUDGET_S = 90


class CrashDuringInjectionTest(unittest.TestCase):
    def setUp(self):
        self.inputs = Inputs("crash")
        self.unc = self.inputs.image("boot_x64.wim", "--arch", "x64", "--payload-mb", "8")
        self.site = ServicingSite("crash", self.inputs)
        self.base = self.site.create(BOOT, "Name=crash base", f"ImagePath={self.unc}")

    def command(self, i):
        """Alternates refreshes of the base package with imports of new ones."""
        if i % 2 == 0:
            return ["invoke", self.base, "RefreshPkgSource", f"ContextID=crash-{i}"]
        return ["create", BOOT, f"Name=crash {i}", f"ImagePath={self.unc}",
                f"ContextID=crash-{i}"]

    def typical_duration(self):
        start = time.monotonic()
        self.site.ok(*self.command(0))
        return time.monotonic() - start

    def test_kill_during_injections(self):
        rng = random.Random(int(os.environ.get("SMSPROV_CRASH_SEED", "4242")))
        span = self.typical_duration()
        deadline = time.monotonic() + TIME_BUDGET_S
        killed = finished = 0
        for i in range(1, RUNS + 1):
            self.assertLess(time.monotonic(), deadline, f"only {i - 1} runs fit the budget")
            proc = subprocess.Popen(self.site.base_args() + self.command(i),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, span * 1.1))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            else:
                finished += 1
            proc.wait(timeout=60)
        self.assertGreater(killed, RUNS // 4, f"only {killed} of {RUNS} runs were killed")

        # The restart: any smsprov run opens the site, recovering what the
        # killed processes left.
        self.site.ok("init")
        self.check_content_folder()
        self.check_no_job_stuck()
        self.check_database()
        self.check_packages()
        # And the site still works.
        self.site.ok("invoke", self.base, "RefreshPkgSource", "ContextID=after")
        self.assertEqual(self.site.status("after")["Status"], 0)

    def check_content_folder(self):
        names = os.listdir(self.site.content)
        leftovers = [n for n in names if n.startswith(".")]
        self.assertEqual(leftovers, [], "temporary files survived the restart")
        wims = [n for n in names if n.startswith("boot.") and n.endswith(".wim")]
        self.assertIn("boot.LAB00001.wim", wims)
        for name in wims:
            ok, out = verify_with_wimlib(os.path.join(self.site.content, name))
            self.assertTrue(ok, f"{name} is not a whole WIM: {out}")

    def check_no_job_stuck(self):
        db = sqlite3.connect(self.site.db)
        unfinished = db.execute("SELECT JobID, State FROM smsprov_jobs "
                                "WHERE State IN ('queued', 'running')").fetchall()
        contexts = [c for (c,) in db.execute("SELECT DISTINCT ContextID FROM smsprov_job_status")]
        interrupted = db.execute("SELECT count(*) FROM smsprov_jobs WHERE State = 'failed' "
                                 "AND ReturnValue = 995").fetchone()[0]
        db.close()
        self.assertEqual(unfinished, [])
        self.assertGreater(interrupted, 0, "no killed job was marked as interrupted")
        for context in contexts:
            status = self.site.status(context)
            self.assertIn(status["Status"], (0, 2), (context, status))
            if status["Status"] == 2 and status["ErrorCode"] == 995:
                self.assertIn("restarted", status["ProgressText"])

    def check_database(self):
        db = sqlite3.connect(self.site.db)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        db.close()

    def check_packages(self):
        for pkg in self.site.ok("enum", BOOT, json_output=True).json():
            full = self.site.get(package_path(pkg["PackageID"]))
            if full.get("PkgSourcePath"):
                wim = self.site.content_wim(pkg["PackageID"])
                self.assertTrue(os.path.isfile(wim), f"{pkg['PackageID']} lost its content")
                self.assertEqual(full["Architecture"], "x64")


if __name__ == "__main__":
    unittest.main(verbosity=2)
