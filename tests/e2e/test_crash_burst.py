"""kill -9 during bursts of creates: the reopened database passes
PRAGMA integrity_check and holds every create that was acknowledged.

The client prints each new path only after its transaction committed, so
every line read before the kill is a promise the database must keep."""
import os
import random
import signal
import sqlite3
import subprocess
import time
import unittest

from cli_harness import Site

BURST = 1000
ROUNDS = 5


class CrashBurstTest(unittest.TestCase):
    def burst_and_kill(self, site, delay):
        proc = subprocess.Popen(site.base_args() + ["create", "SMS_BootImagePackage",
                                                    "Name=burst", "--count", str(BURST)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        # Wait for the first acknowledged create so the kill lands mid-burst
        # however slow the build (sanitizers) is, then kill at a random moment.
        first = proc.stdout.readline()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        return [line for line in (first + out).splitlines() if line.endswith('"')]

    def test_kill_during_bursts_keeps_every_acknowledged_create(self):
        site = Site("crash")
        site.ok("init")
        rng = random.Random(int(os.environ.get("SMSPROV_CRASH_SEED", "20261122")))
        acknowledged = []
        for _ in range(ROUNDS):
            acknowledged += self.burst_and_kill(site, rng.uniform(0.0, 0.5))
        self.assertGreater(len(acknowledged), 0, "no create finished before the kills")

        db = sqlite3.connect(site.db)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        db.close()
        stored = {o["PackageID"] for o in site.ok("enum", "SMS_BootImagePackage",
                                                   json_output=True).json()}
        ids = [line.split('"')[1] for line in acknowledged]
        self.assertEqual(len(ids), len(set(ids)), "a PackageID was handed out twice")
        missing = [i for i in ids if i not in stored]
        self.assertEqual(missing, [], "acknowledged creates lost after kill -9")
        # The site still works and keeps counting past every ID it gave out.
        after = site.create("SMS_BootImagePackage", "Name=after")
        self.assertNotIn(after.split('"')[1], stored)


if __name__ == "__main__":
    unittest.main(verbosity=2)
