"""SIGTERM with a shutdown bound that runs out: smsprovd stops accepting,
exits without waiting for the jobs still running, and marks them failed
first, so no status queue is left "In progress" and none waits for the
next start to be cleaned up."""
import json
import os
import re
import signal
import subprocess
import threading
import time
import unittest

from wsman_harness import Server, create, invoke, package_id_of

BOOT = "SMS_BootImagePackage"
REFRESHES = 12
CLI = os.environ.get("SMSPROV_CLI", "smsprov")
MKWINPE = os.environ.get("SMSPROV_MKWINPE", "mkwinpe")
# Large enough that one refresh takes a while on any machine, so the rest
# are still queued when SIGTERM comes.
PAYLOAD_MB = "32"


class ShutdownTest(unittest.TestCase):
    def test_jobs_left_running_are_marked_failed_by_the_stopping_server(self):
        server = Server("shutdown", trees=True,
                        extra={"site": {"workers": "1"}, "server": {"shutdown_timeout": "0"}})
        subprocess.run([MKWINPE, "image", os.path.join(server.dir, "share", "boot_x64.wim"),
                        "--arch", "x64", "--payload-mb", PAYLOAD_MB], check=True, timeout=120)
        client = server.client()
        pid = package_id_of(client.send(create(BOOT, [
            ("Name", "shutdown"), ("ImagePath", r"\\lab\share\boot_x64.wim"),
            ("ImageIndex", "1")])))

        # One worker, a dozen refreshes: most are queued when SIGTERM comes.
        contexts = ["shutdown-%d" % i for i in range(REFRESHES)]

        def refresh(context):
            try:
                server.client().send(invoke(BOOT, "RefreshPkgSource", [("ContextID", context)],
                                            keys=[("PackageID", pid)]))
            except Exception:  # the server goes away mid-call, as intended
                pass

        threads = [threading.Thread(target=refresh, args=(c,)) for c in contexts]
        for t in threads:
            t.start()
        self.wait_for_a_running_job(server, contexts)
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=60)
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(server.proc.returncode, 1, server.read_stderr())
        log = open(server.log, encoding="utf-8", errors="replace").read()
        self.assertIn("marked failed", log)

        statuses = [self.status(server, c) for c in contexts]
        self.assertNotIn(1, [s["Status"] for s in statuses], statuses)
        stopped = [s for s in statuses if s["Status"] == 2]
        self.assertGreater(len(stopped), 0, statuses)
        for s in stopped:
            self.assertEqual(s["ErrorCode"], 995)
            self.assertIn("server stopped", s["ProgressText"])
        # ... and each of them is in SMSProv.log as a failed job.
        for context, s in zip(contexts, statuses):
            if s["Status"] == 2:
                self.assertIn(", context ID %s, of runner " % context, log)
        self.assertIn("ErrorCode 0x000003E3 (995): The server stopped while this job", log)

    def wait_for_a_running_job(self, server, contexts):
        """Until one refresh has started (the others queue behind it): the
        job layer writes "Job N started: ..., context ID C" to SMSProv.log
        as the worker takes the job.  Reading the log is cheap; polling each
        context's status queue with a CLI process per context could miss
        every refresh when the machine is slow (under ASan, a dozen CLI
        starts outlast the refreshes)."""
        started = re.compile(r"Job \d+ started: [^,]*, context ID (%s)," %
                             "|".join(re.escape(c) for c in contexts))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(server.log, encoding="utf-8", errors="replace") as f:
                if started.search(f.read()):
                    return
            time.sleep(0.005)
        self.fail("no refresh started within 60 s")

    @staticmethod
    def status(server, context):
        out = subprocess.run([CLI, "--db", os.path.join(server.dir, "site.db"), "--json",
                              "invoke", BOOT, "QueryOSDBinaryInjectionStatus",
                              "ContextID=" + context],
                             capture_output=True, text=True, timeout=60, check=True)
        return json.loads(out.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
