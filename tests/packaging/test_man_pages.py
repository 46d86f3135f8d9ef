"""The man pages render without groff warnings and stay in step with the
programs: every option and command a program's --help names is documented
in its page, every [section] key src/config/config.c accepts is in
smsprovd.ini(5), and for smsprovd and mkwinpe every option the page
documents is one --help names.

Environment (set by ctest): SMSPROV_MAN_DIR (the built pages), SMSPROVD,
SMSPROV_CLI, SMSPROV_MKWINPE, SMSPROV_SOURCE_DIR.  Exits 77 (skipped) when
the pages were not built (no scdoc) or man is missing."""
import os
import re
import shutil
import subprocess
import sys

MAN_DIR = os.environ["SMSPROV_MAN_DIR"]
SOURCE = os.environ["SMSPROV_SOURCE_DIR"]
PAGES = ["smsprovd.8", "smsprov.1", "smsprovd.ini.5", "mkwinpe.1"]

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def render(page):
    """The page as text, rendered as man(1) shows it, with groff's warnings."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat")
    r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", os.path.join(MAN_DIR, page)],
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, f"man -l {page} exited {r.returncode}: {r.stderr.strip()}")
    check(not r.stderr.strip(), f"man -l {page} warns: {r.stderr.strip()}")
    check("NAME" in r.stdout and "SYNOPSIS" in r.stdout,
          f"man -l {page} shows no NAME and SYNOPSIS")
    # groff hyphenates and breaks long words; undo both for the word checks.
    return re.sub(r"\u2010\n\s*|-\n\s*", "", r.stdout).replace("\u2010", "-")


def help_of(program):
    r = subprocess.run([program, "--help"], capture_output=True, text=True)
    check(r.returncode == 0, f"{program} --help exited {r.returncode}")
    return r.stdout


def options(text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text))


def section(text, title):
    """The lines of the man page's section `title`, up to the next one."""
    m = re.search(r"^%s\n(.*?)(?=^[A-Z][A-Z ]+\n|\Z)" % re.escape(title), text, re.S | re.M)
    return m.group(1) if m else ""


def documented_commands(text):
    """Command words heading the entries of the COMMANDS section."""
    return set(re.findall(r"^ {7}([a-z][a-z-]*)\b", section(text, "COMMANDS"), re.M))


def smsprov_help_commands(text):
    block = text.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0] for line in block.splitlines() if line.strip()}


def compare(program, page_text, help_text, help_commands, both_ways):
    name = os.path.basename(program)
    man_options = options(section(page_text, "OPTIONS") + section(page_text, "COMMANDS"))
    for opt in sorted(options(help_text) - options(page_text)):
        failures.append(f"{name} --help names {opt}, which its man page does not document")
    for cmd in sorted(help_commands - documented_commands(page_text)):
        failures.append(f"{name} --help names the command {cmd}, missing from COMMANDS")
    if both_ways:
        for opt in sorted(man_options - options(help_text)):
            failures.append(f"{name}'s man page documents {opt}, which --help does not name")
        for cmd in sorted(documented_commands(page_text) - help_commands):
            failures.append(f"{name}'s man page documents the command {cmd}, "
                            "which --help does not name")
    return man_options


def config_keys():
    with open(os.path.join(SOURCE, "src/config/config.c")) as f:
        text = f.read()
    keys = set(re.findall(r'\{"([\w.]+)", "(\w+)", KEY_', text))
    # the keys every listener section takes (LISTENER_KEYS)
    for sect in re.findall(r'LISTENER_KEYS\("([\w.]+)"', text):
        keys |= {(sect, k) for k in ("enabled", "address", "port")}
    return keys


def main():
    if not all(os.path.exists(os.path.join(MAN_DIR, p)) for p in PAGES):
        print("SKIP: the man pages were not built (install scdoc and build again)")
        return 77
    if not shutil.which("man"):
        print("SKIP: man (man-db) is not installed")
        return 77
    text = {p: render(p) for p in PAGES}

    smsprovd, smsprov = os.environ["SMSPROVD"], os.environ["SMSPROV_CLI"]
    mkwinpe = os.environ["SMSPROV_MKWINPE"]
    compare(smsprovd, text["smsprovd.8"], help_of(smsprovd), {"check-config", "adduser", "ntlm-adduser"}, True)
    mk_help = help_of(mkwinpe)
    mk_commands = set(re.findall(r"^  mkwinpe ([a-z]+)", mk_help, re.M))
    check(mk_commands == {"image", "install", "adk", "configmgr", "all"},
          f"mkwinpe --help lists the commands {sorted(mk_commands)}")
    compare(mkwinpe, text["mkwinpe.1"], mk_help, mk_commands, True)
    cli_help = help_of(smsprov)
    compare(smsprov, text["smsprov.1"], cli_help, smsprov_help_commands(cli_help), True)

    ini = text["smsprovd.ini.5"]
    for sect, key in sorted(config_keys()):
        body = section(ini, f"[{sect}]")
        check(body, f"smsprovd.ini(5) has no [{sect}] section")
        check(re.search(r"^ {7}%s$" % re.escape(key), body, re.M),
              f"smsprovd.ini(5) does not document {key} in [{sect}]")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(PAGES)} pages checked, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
