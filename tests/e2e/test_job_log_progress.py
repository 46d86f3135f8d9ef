"""Job reports in SMSProv.log and smsprov's progress, with the real programs.

  - a job the CLI runs, one smsprovd runs for a WS-Management client, and
    one a restart marks failed each leave CMTrace records in SMSProv.log:
    start (kind, target, context ID, caller), end (how long), failure
    (ErrorCode in hex and the sentence); every record is one CMTrace line;
  - smsprov draws a bar redrawn with \\r on a terminal (a pty), plain lines
    without \\r through a pipe, nothing with --quiet, and keeps stdout
    machine-readable;
  - `smsprov status CONTEXTID [--follow]` follows a job smsprovd runs (another
    process) to its end, and reports an error job's ErrorCode and sentence.

The inputs are mkwinpe's small synthetic images."""
import fcntl
import json
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import termios
import threading
import time
import unittest

from cli_harness import CLI, MOF_DIR
from servicing_harness import BOOT, Inputs, ServicingSite

SMSPROVD = os.environ.get("SMSPROVD")
MKWINPE = os.environ.get("SMSPROV_MKWINPE")

CMTRACE = re.compile(
    r'^<!\[LOG\[(?P<msg>.*)\]LOG\]!><time="\d\d:\d\d:\d\d\.\d{3}[+-]\d+" '
    r'date="\d\d-\d\d-\d{4}" component="SMS Provider" context="" type="(?P<type>[123])" '
    r'thread="\d+" file="[^"]+:\d+">$')
BAR = re.compile(r"^ {0,2}\d{1,3}% ")


def log_records(path):
    """(type, message) of every record; each line must be a CMTrace record."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    assert data.endswith("\r\n"), repr(data[-200:])
    records = []
    for line in data[:-2].split("\r\n"):
        m = CMTRACE.match(line)
        assert m, "not a CMTrace record: %r" % line
        records.append((int(m.group("type")), m.group("msg")))
    return records


def job_record(records, *needles):
    """The (type, message) of the one job report holding every needle."""
    found = [r for r in records if r[1].startswith("Job ") and all(n in r[1] for n in needles)]
    assert len(found) == 1, (needles, [r[1] for r in records if r[1].startswith("Job ")])
    return found[0]


def run_on_pty(args, columns=60):
    """Runs args with stderr on a pty `columns` wide and stdout on a pipe;
    returns (exit code, stdout text, stderr bytes as the terminal got them)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the last writer closed the pty
            break
        if not chunk:
            break
        err += chunk
    out = proc.stdout.read().decode()
    proc.stdout.close()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out, err


class CliJobTest(unittest.TestCase):
    """Jobs the CLI runs in its own process."""

    @classmethod
    def setUpClass(cls):
        cls.inputs = Inputs("joblog")
        cls.unc = cls.inputs.image("boot_x64.wim", "--arch", "x64", "--payload-mb", "4")
        cls.site = ServicingSite("joblog", cls.inputs)
        cls.path = cls.site.create(BOOT, "Name=log", f"ImagePath={cls.unc}",
                                   "ContextID=cli-import")
        cls.log = os.path.join(cls.site.dir, "SMSProv.log")

    def refresh_args(self, context, *options):
        return self.site.base_args() + list(options) + [
            "invoke", self.path, "RefreshPkgSource", f"ContextID={context}"]

    def test_import_start_and_end_reach_the_log_beside_the_database(self):
        records = log_records(self.log)
        kind, msg = job_record(records, "started: Import of " + self.path,
                               "context ID cli-import,")
        self.assertEqual(kind, 1)
        self.assertIn("for local", msg)  # no --user: the site itself
        kind, msg = job_record(records, "finished: Import", "context ID cli-import,")
        self.assertEqual(kind, 1)
        self.assertRegex(msg, r", in \d+\.\d{3} s\.$")

    def test_failed_refresh_reaches_the_log_with_its_error_code(self):
        binary = os.path.join(self.inputs.configmgr, "bin", "x64", "TsManager.exe")
        os.rename(binary, binary + ".aside")
        try:
            r = self.site.run("invoke", self.path, "RefreshPkgSource", "ContextID=cli-fail")
        finally:
            os.rename(binary + ".aside", binary)
        self.assertEqual(r.code, 1, r)
        kind, msg = job_record(log_records(self.log), "failed: RefreshPkgSource",
                               "context ID cli-fail,")
        self.assertEqual(kind, 3)
        self.assertIn("ErrorCode 0x00000002 (2): ", msg)
        self.assertIn("TsManager.exe", msg)
        # status reports it too, with its own exit code.
        r = self.site.run("status", "cli-fail")
        self.assertEqual(r.code, 3, r)
        self.assertIn("Status: 2 (Error)", r.out)
        self.assertIn("ErrorCode 0x00000002 (2)", r.err)
        self.assertIn("TsManager.exe", r.err)

    def test_log_option_names_the_file(self):
        other = os.path.join(self.site.dir, "other.log")
        r = subprocess.run(self.refresh_args("cli-explicit", "--log", other),
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        job_record(log_records(other), "finished: RefreshPkgSource", "context ID cli-explicit,")
        with open(self.log, encoding="utf-8") as f:
            self.assertNotIn("cli-explicit", f.read())
        # A file that cannot be opened stops the CLI before it does anything.
        r = subprocess.run(self.refresh_args("cli-nolog", "--log",
                                             os.path.join(self.site.dir, "no", "such.log")),
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot be opened", r.stderr)
        self.assertEqual(self.site.run("status", "cli-nolog").out.count("No status"), 1)

    def test_config_names_the_site_and_its_log(self):
        """--config reads smsprovd's INI: the site and the server's log file."""
        os.makedirs(os.path.join(self.site.dir, "logs"), exist_ok=True)
        lines = ["[site]", "database = site.db", "content_root = content",
                 "adk_root = " + self.inputs.adk, "configmgr_root = " + self.inputs.configmgr,
                 "[shares]", "\\\\lab\\sources = " + self.inputs.sources,
                 "\\\\lab\\content = content",
                 "[log]", "file = logs/SMSProv.log"]
        if MOF_DIR:
            lines[1:1] = ["mof_dir = " + MOF_DIR]
        ini = os.path.join(self.site.dir, "smsprovd.ini")
        with open(ini, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = subprocess.run([CLI, "--config", ini, "--quiet", "invoke", self.path,
                            "RefreshPkgSource", "ContextID=cli-config"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        kind, msg = job_record(log_records(os.path.join(self.site.dir, "logs", "SMSProv.log")),
                               "finished: RefreshPkgSource", "context ID cli-config,")
        self.assertEqual(kind, 1)
        with open(self.log, encoding="utf-8") as f:
            self.assertNotIn("cli-config", f.read())
        # --log wins over the INI's file.
        other = os.path.join(self.site.dir, "logs", "explicit.log")
        r = subprocess.run([CLI, "--config", ini, "--log", other, "--quiet", "invoke",
                            self.path, "RefreshPkgSource", "ContextID=cli-config-log"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        job_record(log_records(other), "finished: RefreshPkgSource",
                   "context ID cli-config-log,")

    @classmethod
    def big_package(cls):
        """A package whose refresh takes long enough to be killed during it."""
        if not hasattr(cls, "big_path"):
            big = cls.inputs.image("big_x64.wim", "--arch", "x64", "--payload-mb", "48")
            cls.big_path = cls.site.create(BOOT, "Name=big", f"ImagePath={big}")
        return cls.big_path

    def start_refresh_and_kill(self, context, while_running=None):
        """Starts a refresh of the big package in another smsprov, calls
        while_running() once its queue says In progress, then kills that
        process.  False when the refresh had finished before the kill."""
        proc = subprocess.Popen(self.site.base_args() + [
            "--quiet", "invoke", self.big_package(), "RefreshPkgSource", f"ContextID={context}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            out = self.site.run("status", context).out
            if "Status: 1 " in out:
                break
            if "Status: 0 " in out or "Status: 2 " in out:  # done before a poll saw it
                proc.wait(timeout=60)
                return False
            self.assertLess(time.monotonic(), deadline, "the refresh never started")
            time.sleep(0.02)
        if while_running:
            while_running()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return proc.returncode == -signal.SIGKILL

    def test_job_of_a_killed_process_is_logged_failed_at_the_next_open(self):
        for attempt in range(3):
            context = f"cli-killed-{attempt}"
            killed = self.start_refresh_and_kill(context)
            self.site.ok("init")  # the next open marks the job failed
            if killed and "Status: 2 " in self.site.run("status", context).out:
                break
        else:
            self.fail("the refresh finished before every kill")
        kind, msg = job_record(log_records(self.log), "failed: RefreshPkgSource",
                               f"context ID {context},")
        self.assertEqual(kind, 3)
        self.assertIn("ErrorCode 0x000003E3 (995): The server restarted", msg)

    def test_follow_ends_when_the_jobs_process_dies(self):
        for attempt in range(3):
            context = f"cli-follow-killed-{attempt}"
            followers = []

            def follow():
                followers.append(subprocess.Popen(
                    self.site.base_args() + ["status", context, "--follow"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))

            killed = self.start_refresh_and_kill(context, follow)
            if not followers:
                continue
            out, err = followers[0].communicate(timeout=120)
            if killed and followers[0].returncode != 0:
                break
        else:
            self.fail("the refresh finished before every kill")
        self.assertEqual(followers[0].returncode, 3, err)
        self.assertIn("Status: 2 (Error)", out)
        self.assertIn("ErrorCode 0x000003E3 (995): The server restarted", err)

    def test_bar_on_a_terminal(self):
        code, out, err = run_on_pty(self.refresh_args("cli-pty", "--json"), columns=60)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["ReturnValue"], 0)  # stdout stays data
        text = err.decode()
        self.assertTrue(text.startswith("\r"), repr(text))
        self.assertTrue(text.endswith("\r\n"), repr(text))  # the pty's newline
        draws = text[1:-2].split("\r")
        for draw in draws:
            self.assertRegex(draw, BAR)
            self.assertNotIn("\n", draw)
            self.assertLessEqual(len(draw.rstrip(" ")), 59, draw)
        self.assertTrue(draws[-1].startswith("100% ["), draws)

    def test_lines_through_a_pipe_and_nothing_when_quiet(self):
        r = subprocess.run(self.refresh_args("cli-pipe", "--json"), capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["ReturnValue"], 0)
        self.assertNotIn("\r", r.stderr)
        lines = r.stderr.splitlines()
        self.assertGreater(len(lines), 1, r.stderr)
        for line in lines:
            self.assertRegex(line, BAR)
        self.assertTrue(lines[-1].startswith("100% "), lines)
        percents = [int(line.split("%")[0]) for line in lines]
        self.assertEqual(percents, sorted(percents))  # progress never goes back

        r = subprocess.run(self.refresh_args("cli-quiet", "--quiet", "--json"),
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(json.loads(r.stdout)["ReturnValue"], 0)

    def test_status_once_and_of_an_unknown_context(self):
        r = self.site.run("status", "cli-import")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Status: 0 (Complete)", r.out)
        self.assertIn("Progress: 100 of 100 (100%)", r.out)
        self.assertEqual(r.err, "")
        status = self.site.ok("status", "cli-import", json_output=True).json()
        self.assertEqual(status["Status"], 0)
        r = self.site.run("status", "nobody")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Status: 3 (No status)", r.out)
        r = self.site.run("status", "nobody", "--follow")
        self.assertEqual(r.code, 4, r)
        self.assertIn("no job has the context ID nobody", r.err)
        self.assertEqual(self.site.run("status").code, 2)


@unittest.skipUnless(SMSPROVD and MKWINPE, "needs smsprovd and mkwinpe")
class ServerJobTest(unittest.TestCase):
    """Jobs smsprovd runs for a WS-Management client (python3-winrm), and
    the CLI following them from another process."""

    @classmethod
    def setUpClass(cls):
        import wsman_harness
        cls.wh = wsman_harness
        cls.server = wsman_harness.Server("joblog-server", trees=True)
        share = os.path.join(cls.server.dir, "share")
        shutil.copy(os.path.join(cls.server.inputs, "images", "boot_x64.wim"),
                    os.path.join(share, "boot_x64.wim"))
        subprocess.run([MKWINPE, "image", os.path.join(share, "big_x64.wim"), "--arch", "x64",
                        "--payload-mb", "32"], check=True, capture_output=True)
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def cli(self, *words):
        args = [CLI, "--db", os.path.join(self.server.dir, "site.db")]
        if MOF_DIR:
            args += ["--mof", MOF_DIR]
        return subprocess.run(args + list(words), capture_output=True, text=True, timeout=180)

    def create(self, name, image, context):
        wh = self.wh
        root = self.client.send(wh.create(BOOT, [
            ("Name", name), ("ImagePath", "\\\\lab\\share\\" + image), ("ImageIndex", "1"),
            ("ContextID", context)]))
        return wh.package_id_of(root)

    def refresh(self, client, package_id, context):
        wh = self.wh
        return client.send(wh.invoke(BOOT, "RefreshPkgSource", [("ContextID", context)],
                                     keys=[("PackageID", package_id)]))

    def test_server_jobs_are_logged_and_followed_from_another_process(self):
        pid = self.create("small", "boot_x64.wim", "srv-import")
        records = log_records(self.server.log)
        kind, msg = job_record(records, "started: Import of", f'PackageID="{pid}"',
                               "context ID srv-import,")
        self.assertEqual(kind, 1)
        self.assertIn("for " + self.wh.USER, msg)
        self.assertEqual(job_record(records, "finished: Import", "context ID srv-import,")[0], 1)

        # A long refresh run by smsprovd, followed by the CLI.
        big = self.create("big", "big_x64.wim", "srv-big-import")
        worker = threading.Thread(target=self.refresh,
                                  args=(self.server.client(), big, "srv-follow"))
        worker.start()
        try:
            deadline = time.monotonic() + 120
            while "No status" in self.cli("status", "srv-follow").stdout:
                self.assertLess(time.monotonic(), deadline, "the refresh was never queued")
                time.sleep(0.02)
            r = self.cli("status", "srv-follow", "--follow")
        finally:
            worker.join(timeout=180)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Status: 0 (Complete)", r.stdout)
        self.assertNotIn("\r", r.stderr)
        lines = r.stderr.splitlines()
        for line in lines:
            self.assertRegex(line, BAR)
        self.assertTrue(lines[-1].startswith("100% "), lines)
        self.assertEqual(job_record(log_records(self.server.log), "finished: RefreshPkgSource",
                                    "context ID srv-follow,")[0], 1)

        # A refresh that fails: logged with its ErrorCode, and followed to
        # the error.
        binary = os.path.join(self.server.inputs, "configmgr", "bin", "x64", "TsManager.exe")
        os.rename(binary, binary + ".aside")
        try:
            fault = self.client.fault(self.wh.invoke(BOOT, "RefreshPkgSource",
                                                     [("ContextID", "srv-fail")],
                                                     keys=[("PackageID", pid)]))
            self.assertIn("TsManager.exe", fault.reason)
        finally:
            os.rename(binary + ".aside", binary)
        kind, msg = job_record(log_records(self.server.log), "failed: RefreshPkgSource",
                               "context ID srv-fail,")
        self.assertEqual(kind, 3)
        self.assertIn("for " + self.wh.USER, msg)
        self.assertIn("ErrorCode 0x00000002 (2): ", msg)
        self.assertIn("TsManager.exe", msg)
        r = self.cli("status", "srv-fail", "--follow")
        self.assertEqual(r.returncode, 3, r)
        self.assertIn("Status: 2 (Error)", r.stdout)
        self.assertIn("failed: ErrorCode 0x00000002 (2): ", r.stderr)
        self.assertIn("TsManager.exe", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
