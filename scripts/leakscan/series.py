#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the leakscan patch series (make series).

The repository holds the finished work: new files in the overlay
directories and edits to existing kernel files in patches/. This script
cuts it into reviewable commits on top of the pristine base tree:

  * every file the work adds or changes belongs to exactly one step (STEPS
    below), the one that introduces it;
  * a few "holds" keep a part of a file out until a later step, so that the
    tree builds after every step (bisectability) and each step carries only
    its own change: a hold is a regular expression that must match exactly
    once in the final file, and its replacement;
  * the commit messages are scripts/leakscan/series/NN-*.txt (subject, blank
    line, body) and the cover letter is series/cover.txt.

Usage: series.py write <final tree> <base tree, extracted> <output dir> <version> <package>
       series.py import <base tree> <version> <package>   (prints the base commit)

The base tree is turned into a git repository (commit dates and author are
fixed, so that the base commit has the same id wherever it is imported) and
the patches are written with git format-patch --cover-letter --base= into
<output directory>. Any file left without a step, a hold that does not match
once, or a final tree that differs from <final tree> is an error.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MSGDIR = os.path.join(TOP, "scripts", "leakscan", "series")
OVERLAY = ["mm/leakscan", "samples/leakscan", "tools/testing/selftests/leakscan",
           "tools/testing/leakscan", "Documentation/dev-tools/leakscan.rst"]

# Each step: its message file and the files it introduces (fnmatch patterns
# over repository paths; every path must match exactly one step).
STEPS = [
    ("01-engine-choice", ["mm/Kconfig.debug", "mm/Makefile"]),
    ("02-index", ["mm/leakscan/index.c", "mm/leakscan/index.h",
                  "mm/leakscan/index_internal.h", "mm/leakscan/growth.c",
                  "mm/leakscan/growth.h", "tools/testing/leakscan/*",
                  "MAINTAINERS"]),
    ("03-core", ["mm/leakscan/core.c", "mm/leakscan/trace.c",
                 "mm/leakscan/leakscan.h", "mm/leakscan/internals.h",
                 "mm/leakscan/arch.h", "mm/slub.c"]),
    ("04-scan", ["mm/leakscan/scan.c", "mm/leakscan/Makefile"]),
    ("05-debugfs", ["mm/leakscan/debugfs.c", "mm/leakscan/report.c",
                    "mm/leakscan/results.c", "mm/leakscan/console.c",
                    "include/trace/events/error_report.h"]),
    ("06-summary", ["mm/leakscan/summary.c"]),
    ("07-kunit", ["mm/leakscan/leakscan_test.c"]),
    ("08-selftests", ["samples/*", "tools/testing/selftests/*"]),
    ("09-docs", ["Documentation/*"]),
]


# Patterns that only some bases have a file for: 6.12's SLUB has no sheaves,
# so its patches leave mm/slub.c alone.
OPTIONAL = {"mm/slub.c"}


def step_no(name):
    return [s[0] for s in STEPS].index(name) + 1


# (path, first step that has it, regular expression, replacement until then)
HOLDS = [
    # Until the engine links (step 4), the choice offers the stock one only.
    ("mm/Kconfig.debug", "04-scan", r"^\tdefault KMEMLEAK_ENGINE_LEAKSCAN\n", ""),
    ("mm/Kconfig.debug", "04-scan",
     r"^config KMEMLEAK_ENGINE_LEAKSCAN\n(?:.+\n)+\n", ""),
    ("mm/Makefile", "04-scan",
     r"^obj-\$\(CONFIG_KMEMLEAK_ENGINE_LEAKSCAN\) \+= leakscan/\n", ""),
    ("mm/Kconfig.debug", "07-kunit",
     r"^config LEAKSCAN_KUNIT_TEST\n(?:.*\n)+?(?=^config )", ""),
    # The entry grows with the directories the series adds.
    ("MAINTAINERS", "08-selftests", r"^F:\tsamples/leakscan/\n", ""),
    ("MAINTAINERS", "08-selftests", r"^F:\ttools/testing/selftests/leakscan/\n", ""),
    ("MAINTAINERS", "09-docs", r"^F:\tDocumentation/dev-tools/leakscan.rst\n", ""),
    # Scanning works before the debugfs file and the reports exist.
    ("mm/leakscan/Makefile", "06-summary", r" \\\n\tsummary\.o$", ""),
    ("mm/leakscan/Makefile", "05-debugfs",
     r" results\.o report\.o debugfs\.o console\.o$", ""),
    ("mm/leakscan/core.c", "05-debugfs",
     r"^\tint ret;\n\n\tret = ls_debugfs_init\(\);\n\tif \(ret \|\| ls_off\)\n"
     r"\t\treturn ret;\n\tls_console_init\(\);\n", "\tif (ls_off)\n\t\treturn 0;\n"),
    ("mm/leakscan/core.c", "05-debugfs",
     r"^/\*\n \* The debugfs file exists even when the detector is off,.*?\*/\n",
     ""),
    # The kmemleak file first; the summary, suppressions and stats after.
    ("mm/leakscan/debugfs.c", "06-summary",
     r"^/\* -+ Suppressions \*/\n.*?(?=^/\*\*\n \* ls_debugfs_init )", ""),
    ("mm/leakscan/debugfs.c", "06-summary",
     r"^\tstruct dentry \*dir;\n\n", ""),
    ("mm/leakscan/debugfs.c", "06-summary",
     r"^\tdir = debugfs_create_dir\(\"leakscan\", NULL\);\n"
     r"(?:\tdebugfs_create_file\(\"[a-z]+\", 0[46]44, dir, NULL, &ls_[a-z]+_fops\);\n)+",
     ""),
    ("mm/leakscan/debugfs.c", "06-summary",
     r" - create /sys/kernel/debug/kmemleak and leakscan/$",
     " - create /sys/kernel/debug/kmemleak"),
    ("mm/leakscan/report.c", "06-summary",
     r"^/\*\*\n \* ls_print_group - .*?(?=^/\*\n \* An object's flags )", ""),
    ("mm/leakscan/Makefile", "07-kunit",
     r"\nobj-\$\(CONFIG_LEAKSCAN_KUNIT_TEST\) \+= leakscan_test\.o\n(?:.*\n)*", ""),
]

# The base commit's date, fixed so that its id is the same on every machine:
# the release date of each base's major version.
BASE_DATES = {"6.12": "2024-11-17 14:15:00 -0800", "7.3": "2026-10-04 14:00:00 -0700"}
# Where the edits to existing files of this base are (BASE=, lib.sh).
PATCHES = os.environ.get("LS_PATCHES", os.path.join(TOP, "patches"))
BASE_IDENT = ("leakscan base import", "leakscan@localhost")


class SeriesError(Exception):
    pass


def run(cmd, cwd, env=None, stdin=None):
    res = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, text=True,
                         capture_output=True)
    if res.returncode != 0:
        raise SeriesError("%s failed in %s:\n%s%s" % (" ".join(cmd), cwd,
                                                       res.stdout, res.stderr))
    return res.stdout


def managed_paths():
    """Every path the work adds or changes, from the repository."""
    paths = set()
    files = run(["git", "ls-files", "--"] + OVERLAY, TOP).split()
    paths.update(files)
    series = os.path.join(PATCHES, "series")
    for line in open(series):
        line = line.split("#")[0].strip()
        if not line:
            continue
        for pline in open(os.path.join(PATCHES, line)):
            m = re.match(r"^\+\+\+ b/(\S+)", pline)
            if m:
                paths.add(m.group(1))
    return sorted(paths)


def assign(paths):
    owner = {}
    for p in paths:
        hits = [name for name, pats in STEPS
                if any(fnmatch.fnmatch(p, pat) for pat in pats)]
        if len(hits) != 1:
            raise SeriesError("%s matches %d steps (%s); give it exactly one in "
                              "scripts/leakscan/series.py" %
                              (p, len(hits), ", ".join(hits) or "none"))
        owner[p] = step_no(hits[0])
    for name, pats in STEPS:
        for pat in pats:
            if pat not in OPTIONAL and not any(fnmatch.fnmatch(p, pat) for p in paths):
                raise SeriesError("step %s: %s matches no file" % (name, pat))
    return owner


def content_at(path, k, final, owner):
    """The bytes of path after step k, or None if it does not exist then."""
    if k < owner[path]:
        return None
    with open(os.path.join(final, path), "rb") as f:
        data = f.read()
    for hpath, until, rx, repl in HOLDS:
        if hpath != path or k >= step_no(until):
            continue
        text = data.decode()
        new, n = re.subn(rx, lambda m: repl, text, flags=re.M | re.S
                         if ".*?" in rx else re.M)
        if n != 1:
            raise SeriesError("hold on %s (until %s) matched %d times, not once: "
                              "%r" % (path, until, n, rx))
        data = new.encode()
    return data


def message(name):
    path = os.path.join(MSGDIR, name + ".txt")
    text = open(path).read().rstrip("\n") + "\n"
    subject = text.split("\n", 1)[0]
    if not re.match(r"^[\w/.-]+(: [\w/.-]+)*: \S", subject) or len(subject) > 75:
        raise SeriesError("%s: the subject must read 'subsystem: what' in at most "
                          "75 columns" % path)
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > 75 and not line.startswith("    "):
            raise SeriesError("%s:%d: wrap the body at 75 columns" % (path, n))
    return text


def git_env(ident, date):
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME=ident[0], GIT_AUTHOR_EMAIL=ident[1],
               GIT_COMMITTER_NAME=ident[0], GIT_COMMITTER_EMAIL=ident[1],
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return env


def import_base(tree, version, package):
    """Make tree (a fresh extract) a git repository whose one commit is it."""
    if os.path.isdir(os.path.join(tree, ".git")):
        shutil.rmtree(os.path.join(tree, ".git"))
    run(["git", "init", "-q", "-b", "base"], tree)
    run(["git", "config", "core.autocrlf", "false"], tree)
    run(["git", "add", "-A", "-f", "."], tree)
    msg = ("Linux %s\n\nThe Debian package %s, extracted as it is.\n"
           % (version, package))
    date = BASE_DATES[".".join(version.split(".")[:2])]
    run(["git", "commit", "-q", "--no-verify", "-F", "-"], tree,
        env=git_env(BASE_IDENT, date), stdin=msg)
    return run(["git", "rev-parse", "HEAD"], tree).strip()


def identity():
    def get(key, default):
        r = subprocess.run(["git", "config", key], cwd=TOP, text=True,
                           capture_output=True)
        return r.stdout.strip() or default
    return (get("user.name", "leakscan developers"),
            get("user.email", "leakscan@localhost"))


def cover_letter(path, version):
    text = open(os.path.join(MSGDIR, "cover.txt")).read()
    subject, body = text.split("\n", 1)
    body = body.replace("@BASE@", version)
    bench = os.path.join(TOP, "docs", "bench", "results.md")
    table = [line for line in open(bench) if line.startswith("|")]
    body = body.replace("@BENCH@\n", "".join(table))
    letter = open(path).read()
    letter = letter.replace("*** SUBJECT HERE ***", subject)
    letter = letter.replace("*** BLURB HERE ***", body.strip("\n"))
    with open(path, "w") as f:
        f.write(letter)


def write(final, tree, outdir, version, package):
    paths = managed_paths()
    owner = assign(paths)
    base = import_base(tree, version, package)
    run(["git", "checkout", "-q", "-b", "leakscan"], tree)
    ident = identity()
    for k, (name, _) in enumerate(STEPS, 1):
        for p in paths:
            data = content_at(p, k, final, owner)
            if data is None:
                continue
            dst = os.path.join(tree, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(data)
            shutil.copymode(os.path.join(final, p), dst)
        run(["git", "add", "-A", "-f", "--"] +
            [p for p in paths if owner[p] <= k], tree)
        msg = message(name) + "\nSigned-off-by: %s <%s>\n" % ident
        env = git_env(ident, "2026-11-27 %02d:00:00 +0000" % k)
        run(["git", "commit", "-q", "--no-verify", "-F", "-"], tree, env=env,
            stdin=msg)
    # The last step's tree must be the final one, file for file.
    for p in paths:
        with open(os.path.join(final, p), "rb") as a, \
                open(os.path.join(tree, p), "rb") as b:
            if a.read() != b.read():
                raise SeriesError("%s differs from the final tree after the "
                                  "last step" % p)
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    prefix = os.environ.get("LS_SUBJECT_PREFIX", "PATCH")
    run(["git", "format-patch", "-q", "--cover-letter", "--base=" + base,
         "--subject-prefix=" + prefix,
         "--no-signature", "-o", outdir, base + "..leakscan"], tree,
        env=git_env(ident, "2026-11-27 00:00:00 +0000"))
    cover_letter(os.path.join(outdir, "0000-cover-letter.patch"), version)
    n = len([f for f in os.listdir(outdir) if f.endswith(".patch")]) - 1
    print("    %d patches and a cover letter in %s" % (n, outdir))
    print("    base-commit %s, final tree %s" %
          (base, run(["git", "rev-parse", "HEAD^{tree}"], tree).strip()))


def main():
    args = sys.argv[1:]
    try:
        if len(args) == 6 and args[0] == "write":
            write(*args[1:])
        elif len(args) == 4 and args[0] == "import":
            print(import_base(*args[1:]))
        else:
            sys.exit("usage: series.py write <final tree> <base tree> <output dir> "
                     "<version> <package>\n"
                     "       series.py import <base tree> <version> <package>")
    except (SeriesError, OSError) as e:
        sys.exit("leakscan: error: %s" % e)


if __name__ == "__main__":
    main()
