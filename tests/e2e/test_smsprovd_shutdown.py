"""SIGTERM with a shutdown bound that runs out: smsprovd stops accepting,
exits without waiting for the jobs still running, and marks them failed
first, so no status queue is left "In progress" and none waits for the
next start to be cleaned up."""
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import unittest

from wsman_harness import Server, create, invoke, package_id_of

BOOT = "SMS_BootImagePackage"
REFRESHES = 12
CLI = os.environ.get("SMSPROV_CLI", "smsprov")


class ShutdownTest(unittest.TestCase):
    def test_jobs_left_running_are_marked_failed_by_the_stopping_server(self):
        server = Server("shutdown", trees=True,
                        extra={"site": {"workers": "1"}, "server": {"shutdown_timeout": "0"}})
        shutil.copy(os.path.join(server.inputs, "images", "boot_x64.wim"),
                    os.path.join(server.dir, "share", "boot_x64.wim"))
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
        time.sleep(0.3)
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

    @staticmethod
    def status(server, context):
        out = subprocess.run([CLI, "--db", os.path.join(server.dir, "site.db"), "--json",
                              "invoke", BOOT, "QueryOSDBinaryInjectionStatus",
                              "ContextID=" + context],
                             capture_output=True, text=True, timeout=60, check=True)
        return json.loads(out.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
