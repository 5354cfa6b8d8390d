#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the harness's console reader, scripts/leakscan/results.py.

Prints one "PASS: name" or "FAIL: name" line per test for check.sh.
"""
import contextlib
import glob
import io
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import results  # noqa: E402

KSELFTEST = """\
TAP version 13
1..2
# timeout set to 120
# selftests: leakscan: sample_leaks.sh
# TAP version 13
# 1..3
# ok 1 leakscan_sample loads
# not ok 2 report lists exactly the sample's leaks
# ok 3 clear # SKIP no detector
# # Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0
not ok 1 selftests: leakscan: sample_leaks.sh # exit=1
# selftests: leakscan: other.sh
# TAP version 13
# 1..1
# ok 1 fine
ok 2 selftests: leakscan: other.sh
"""

KUNIT = """\
    KTAP version 1
    # Subtest: leakscan
    1..2
    ok 1 test_alloc
    not ok 2 test_scan
# leakscan: pass:1 fail:1 skip:0 total:2
not ok 1 leakscan
"""


def log_file(text):
    f = tempfile.NamedTemporaryFile('w', delete=False, suffix='.log')
    f.write(text)
    f.close()
    return f.name


class KtapTest(unittest.TestCase):
    def test_kselftest_leaves(self):
        leaves = results.ktap_leaves(KSELFTEST.splitlines())
        self.assertEqual(leaves, [
            ('PASS', 'leakscan_sample loads'),
            ('FAIL', "report lists exactly the sample's leaks"),
            ('SKIP', 'clear'),
            ('PASS', 'fine'),
        ])

    def test_kunit_leaves(self):
        leaves = results.ktap_leaves(KUNIT.splitlines())
        self.assertEqual(leaves, [('PASS', 'test_alloc'), ('FAIL', 'test_scan')])

    def test_parent_failure_without_failed_child_counts(self):
        text = "# ok 1 a\n# ok 2 b\nnot ok 1 selftests: x: y.sh # TIMEOUT 45 seconds\n"
        self.assertEqual(results.ktap_leaves(text.splitlines()), [
            ('PASS', 'a'), ('PASS', 'b'),
            ('FAIL', 'selftests: x: y.sh (the test as a whole)')])

    def test_notes_of_failed_tests_only(self):
        notes = results.failed_notes(KSELFTEST.splitlines())
        self.assertEqual(notes, [
            'selftests: leakscan: sample_leaks.sh: # timeout set to 120',
            'selftests: leakscan: sample_leaks.sh: # selftests: leakscan: sample_leaks.sh',
            'selftests: leakscan: sample_leaks.sh: # # Totals: pass:1 fail:1 '
            'xfail:0 xpass:0 skip:1 error:0',
        ])

    def test_notes_keep_the_last_ones(self):
        text = "# # a\n# # b\n# # c\nnot ok 1 selftests: x: y.sh\n"
        self.assertEqual(results.failed_notes(text.splitlines(), limit=2),
                         ['selftests: x: y.sh: # # b', 'selftests: x: y.sh: # # c'])

    def test_skipped_test_without_subtests(self):
        text = "# 1..0 # SKIP no kmemleak\nok 1 selftests: leakscan: s.sh # SKIP\n"
        self.assertEqual(results.ktap_leaves(text.splitlines()),
                         [('SKIP', 'selftests: leakscan: s.sh')])

    def test_sections_strip_timestamps(self):
        path = log_file("[    1.000000] boot\n@@LS-BEGIN kselftest@@\n"
                        "ok 1 x\n@@LS-END kselftest@@\n@@LS-BEGIN kunit a@@\n")
        try:
            self.assertEqual(results.sections(path), ['kselftest', 'kunit a'])
            self.assertEqual(results.section(path, 'kselftest'), ['ok 1 x'])
            self.assertEqual(results.section(path, 'kunit a'), [])
            self.assertIsNone(results.section(path, 'missing'))
        finally:
            os.unlink(path)


class SplatTest(unittest.TestCase):
    def check(self, line, expect):
        path = log_file("[    0.1] ok\n" + line + "\n")
        try:
            found = results.splats(path)
        finally:
            os.unlink(path)
        self.assertEqual([n for n, _ in found], [expect] if expect else [])

    def test_bug(self):
        self.check("[   12.3] BUG: KASAN: slab-out-of-bounds in foo", 'BUG')

    def test_warning(self):
        self.check("[    5.0] WARNING: CPU: 1 PID: 7 at mm/slub.c:1 f+0x1/0x2", 'WARNING')

    def test_oops(self):
        self.check("Oops: general protection fault, probably for non-canonical", 'Oops')

    def test_lockdep(self):
        self.check("WARNING: possible circular locking dependency detected", 'WARNING')
        self.check("[    1.0] inconsistent lock state", 'lockdep')

    def test_might_sleep(self):
        self.check("BUG: sleeping function called from invalid context at x.c:1", 'BUG')

    def test_soft_lockup(self):
        self.check("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [a:1]", 'BUG')

    def test_rcu_stall(self):
        self.check("rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", 'RCU stall')

    def test_hung_task(self):
        self.check("INFO: task sh:1 blocked for more than 120 seconds.", 'hung task')

    def test_stack_dump(self):
        self.check("[    3.1] Call Trace:", 'stack dump')

    def test_allocation_failure_and_oom_dumps_are_not_splats(self):
        for head in ('trinity-c1: page allocation failure: order:0, mode:0x10cc0(GFP_KERNEL)',
                     'trinity-c1 invoked oom-killer: gfp_mask=0x140cca, order=0'):
            log = log_file('[ 1.0] %s\n[ 1.0] CPU: 1 UID: 0 PID: 7 Comm: t\n'
                           '[ 1.0] Hardware name: QEMU\n[ 1.0] Call Trace:\n'
                           '[ 1.0]  <TASK>\n' % head)
            self.assertEqual(results.splats(log), [])

    def test_hex_dump_in_a_report_is_not_a_splat(self):
        log = log_file('@@LS-BEGIN report@@\n'
                       '    42 55 47 3a 20 00 00 00  BUG: ...\n'
                       '@@LS-END report@@\n[ 2.0] BUG: after the report\n')
        self.assertEqual([n for n, _ in results.splats(log)], ['BUG'])

    def test_mand_mount_banner_is_not_a_splat(self):
        self.check('WARNING: The mand mount option has been deprecated and', None)

    def test_stack_dump_far_from_an_allocation_failure_is_a_splat(self):
        log = log_file('[ 1.0] t: page allocation failure: order:0\n' + '[ 1.0] x\n' * 4 +
                       '[ 1.0] Call Trace:\n')
        self.assertEqual(len(results.splats(log)), 1)

    def test_untracked_warning_is_not_a_splat(self):
        self.check("kmemleak: 12 objects could not be tracked (no memory for metadata): "
                   "results may be incomplete", None)

    def test_leak_report_is_not_a_splat(self):
        self.check("kmemleak: 7 new suspected memory leaks (see /sys/kernel/debug/kmemleak)", None)
        self.check("unreferenced object 0xffff888003a1b2c0 (size 40):", None)


TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')


# A C file's comments, character literals and string literals, in one
# pass, so that a quote in a comment or a '"' cannot pair the wrong quotes.
C_TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|\'(?:[^\'\\\n]|\\.)*\'|"((?:[^"\\\n]|\\.)*)"', re.S)


def c_strings(path):
    """The string literals of a C file, with \\n and \\t as the characters
    they stand for (a line that a literal starts after "\\n" begins there)."""
    with open(path) as f:
        src = f.read()
    return [m.group(1).replace('\\n', '\n').replace('\\t', '\t')
            for m in C_TOKEN.finditer(src) if m.group(1) is not None]


def splat_names(text):
    return [name for rx, name in results.SPLAT_RE if rx.search(text)]


class OwnLinesTest(unittest.TestCase):
    """What our own code prints must not read as a splat: a debugfs file
    shown on the console (as real.sh does, and as CI systems do with the
    kmemleak file) would fail our check and syzkaller's alike."""

    def test_no_string_our_c_code_prints_looks_like_a_splat(self):
        files = []
        for d in ('mm/leakscan', 'samples/leakscan'):
            files += sorted(glob.glob(os.path.join(TOP, d, '*.[ch]')))
        self.assertGreater(len(files), 5)
        found = ['%s: %r' % (os.path.relpath(f, TOP), s)
                 for f in files
                 for s in c_strings(f) if splat_names(s)]
        self.assertEqual(found, [])

    def test_the_scan_finds_a_literal_that_would_be_one(self):
        path = log_file('/* "WARNING: in a comment" */ c = \'"\';\n'
                        'seq_puts(m, "ok \\"quoted\\" // not a comment");\n'
                        'pr_info("x\\nBUG: %d\\n", x);\n')
        try:
            got = c_strings(path)
        finally:
            os.unlink(path)
        self.assertEqual(got, ['ok \\"quoted\\" // not a comment', 'x\nBUG: %d\n'])
        self.assertEqual([splat_names(s) for s in got], [[], ['BUG']])


REPORT = """\
@@LS-BEGIN report@@
unreferenced object 0xffff888003c5e000 (size 64):
  comm "kworker/u8:1", pid 99, jiffies 4294893000
  hex dump (first 32 bytes):
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
  backtrace (crc 1a2b3c4d):
    __kmalloc_cache_noprof+0x2a0/0x300
    kmalloc_trace+0x10/0x20
    kvasprintf+0x10/0x20
    kasprintf+0x10/0x20
    leaky_init+0x1c/0x90 [leaky]
    do_one_initcall+0x58/0x300
unreferenced object (percpu) 0xc000 (size 8):
  comm "ip", pid 1, jiffies 4294893000
  backtrace (crc 0):
    [<ffffffff81000000>] pcpu_alloc_noprof+0x1/0x2
    [<ffffffff81000000>] alloc_netdev_mqs+0x1/0x2
    [<ffffffff81000000>] veth_newlink.isra.0+0x1/0x2
@@LS-END report@@
"""


def run_main(*args):
    """results.main() with its output captured: (exit code, output)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = results.main(['results.py'] + list(args))
    return rc, out.getvalue()


class RecordsTest(unittest.TestCase):
    def test_site_is_the_first_frame_past_the_allocator(self):
        recs = results.records(results.section(log_file(REPORT), 'report'))
        self.assertEqual(recs, [
            ('leaky_init', '64', 'kworker/u8:1', '0xffff888003c5e000'),
            ('veth_newlink', '8', 'ip', '0xc000'),
        ])

    def test_unknown_site_fails(self):
        log = log_file(REPORT)
        known = log_file('# triaged\nleaky_init  # a real leak\n')
        rc, out = run_main('records', log, known)
        self.assertEqual(rc, 1)
        self.assertIn('FAIL: reported site veth_newlink is not in the known leaks', out)
        self.assertNotIn('FAIL: reported site leaky_init', out)
        known = log_file('leaky_init\nveth_newlink # another\n')
        self.assertEqual(run_main('records', log, known)[0], 0)

    def test_no_report_section_fails(self):
        log = log_file('@@LS-BEGIN figures@@\nscan_ns 5\n@@LS-END figures@@\n')
        rc, out = run_main('records', log)
        self.assertEqual(rc, 1)
        self.assertIn('FAIL: the console log has no leak report', out)


class Reporter(unittest.TextTestResult):
    """Print a PASS: or FAIL: line per test, as check.sh counts them."""

    def report(self, status, test):
        print('%s: harness: %s' % (status, test.id().split('.', 1)[1]))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.report('PASS', test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report('FAIL', test)

    def addError(self, test, err):
        super().addError(test, err)
        self.report('FAIL', test)


if __name__ == '__main__':
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(stream=sys.stderr, resultclass=Reporter, verbosity=0)
    sys.exit(0 if runner.run(suite).wasSuccessful() else 1)
