#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/leakscan/realbench_report.py, on made-up guest logs.

Prints one "PASS: name" or "FAIL: name" line per test for check.sh.
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import realbench_report  # noqa: E402


def record(addr, site):
    return ('unreferenced object %s (size 32):\n  comm "ip", pid 7, jiffies 1\n'
            '  backtrace (crc 0):\n    __kmalloc_noprof+0x1/0x2\n    %s+0x1/0x2\n'
            % (addr, site))


def console(text):
    """A made-up console log holding text: its path."""
    f = tempfile.NamedTemporaryFile('w', delete=False, suffix='.log')
    f.write(text)
    f.close()
    return f.name


def log(figures, report=None, extra=''):
    text = extra + '@@LS-BEGIN figures@@\n' + figures + '@@LS-END figures@@\n'
    if report is not None:
        text = '@@LS-BEGIN report@@\n' + report + '@@LS-END report@@\n' + text
    return console(text)


FIGS = ('boot_s 2.5\ntracked_after_boot %d\nmetadata_object_bytes %d\n'
        'scan_ns %d\nscan_ns %d\nscan_ns %d\nbogo_ops_per_s_pipe %d\n'
        'bogo_ops_per_s_vm %d\n')


def run(*logs):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = realbench_report.main(list(logs))
    return rc, out.getvalue()


class RealbenchTest(unittest.TestCase):
    def setUp(self):
        self.none = log(FIGS % (0, 0, 0, 0, 0, 1000, 1000))
        self.classic = log(FIGS % (100000, 416, 1500000000, 1400000000, 1600000000,
                                   600, 600),
                           record('0xffff0001', 'foo_create') + record('0xffff0002', 'bar_init'))
        self.leakscan = log(FIGS % (90000, 64, 500000000, 520000000, 510000000, 900, 900),
                            record('0xffff0003', 'foo_create') + record('0xffff0004', 'baz_open'))

    def test_figures_and_ratios(self):
        rc, out = run('none=' + self.none, 'classic=' + self.classic,
                      'leakscan=' + self.leakscan)
        self.assertEqual(rc, 0)
        # Scans: median 510 ms over 1500 ms = 0.34.
        self.assertIn('| full scan after the workload (ms) | 0 [0–0] | 1500 [1400–1600] | '
                      '510 [500–520] | 0.34 | ≤ 0.50 | yes |', out)
        # Throughput 2000, 1200, 1800: (1800 - 2000) / (1200 - 2000) = 0.25.
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | 2000 | 1200 | 1800 | '
                      '0.25 | ≤ 0.50 | yes |', out)
        self.assertIn('| metadata per object (bytes, slab object size) | 0 | 416 | 64 | 0.15 |', out)

    def test_sites_compared(self):
        out = run('none=' + self.none, 'classic=' + self.classic,
                  'leakscan=' + self.leakscan)[1]
        self.assertIn('| foo_create | 1 | 1 | both |', out)
        self.assertIn('| bar_init | 1 | 0 | classic only: explain with dump= |', out)
        self.assertIn('| baz_open | 0 | 1 | leakscan only: explain with dump= |', out)

    def test_target_missed(self):
        slow = log(FIGS % (90000, 64, 1000000000, 1000000000, 1000000000, 600, 700),
                   '')
        out = run('none=' + self.none, 'classic=' + self.classic, 'leakscan=' + slow)[1]
        self.assertIn('| 1000 [1000–1000] | 0.67 | ≤ 0.50 | NO |', out)
        self.assertIn('| 1300 | 0.88 | ≤ 0.50 | NO |', out)

    def test_no_overhead_ratio_unless_classic_lost_throughput(self):
        fast = log(FIGS % (100000, 416, 1, 1, 1, 1100, 1100), '')
        out = run('none=' + self.none, 'classic=' + fast, 'leakscan=' + self.leakscan)[1]
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | 2000 | 2200 | 1800 | '
                      'n/a | ≤ 0.50 | n/a |', out)
        gain = log(FIGS % (90000, 64, 1, 1, 1, 1100, 1100), '')
        out = run('none=' + self.none, 'classic=' + self.classic, 'leakscan=' + gain)[1]
        self.assertIn('| 2000 | 1200 | 2200 | 0.00 | ≤ 0.50 | yes |', out)

    def test_splats_counted(self):
        bad = log(FIGS % (90000, 64, 1, 1, 1, 900, 900), '',
                  extra='[   5.0] WARNING: CPU: 1 PID: 7 at mm/x.c:1 f+0x1/0x2\n')
        out = run('none=' + self.none, 'classic=' + self.classic, 'leakscan=' + bad)[1]
        self.assertIn('| splat lines on the console | 0 | 0 | 1 |  | = 0 | NO |', out)

    def test_without_none(self):
        # REALBENCH_ENGINES="classic leakscan": the engines compared, the
        # throughput ratio not computable and said so; leakscan is required.
        rc, out = run('classic=' + self.classic, 'leakscan=' + self.leakscan)
        self.assertEqual(rc, 0)
        self.assertIn('| full scan after the workload (ms) | n/a | 1500 [1400–1600] | '
                      '510 [500–520] | 0.34 | ≤ 0.50 | yes |', out)
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | n/a | 1200 | 1800 | '
                      'n/a | ≤ 0.50 | n/a: needs ENGINE=none |', out)
        self.assertIn('Runs: none 0, classic 1, leakscan 1.', out)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            rc = run('none=' + self.none, 'classic=' + self.classic)[0]
        self.assertEqual(rc, 1)
        self.assertIn('no log for ENGINE=leakscan', err.getvalue())

    def test_per_class_rows(self):
        # Each class's sum has its own ratio, with no target: pipe and vm
        # are 1000, 600 and 900 here, so (900 - 1000) / (600 - 1000) = 0.25.
        out = run('none=' + self.none, 'classic=' + self.classic,
                  'leakscan=' + self.leakscan)[1]
        self.assertIn('| stress-ng class pipe (bogo-ops/s) | 1000 | 600 | 900 | 0.25 |  |  |',
                      out)
        self.assertIn('| stress-ng class vm (bogo-ops/s) | 1000 | 600 | 900 | 0.25 |  |  |', out)

    def test_ratio_round_by_round(self):
        # The sum's ratio in each round, from that round's three logs:
        # (1800 - 2000) / (1200 - 2000) = 0.25, then (1700 - 2000) / (1600 -
        # 2000) = 0.75; a round where classic lost nothing has none.
        logs = []
        for e, vs in (('none', (1000, 1000, 1000)), ('classic', (600, 800, 1100)),
                      ('leakscan', (900, 850, 1000))):
            for v in vs:
                logs.append('%s=%s' % (e, log(FIGS % (1, 64, 1, 1, 1, v, v), '')))
        out = run(*logs)[1]
        self.assertIn('| the same ratio, round by round (rounds with one) |  |  |  | '
                      '0.50 [0.25–0.75] |  |  |', out)

    def test_geometric_mean_counts_each_stressor_once(self):
        # A stressor in two classes (vm and memory share some) counts once;
        # one that an engine did not report is left out, and said so.
        figs = ('stressor_vm_mmap %d\nstressor_memory_mmap %d\nstressor_vm_brk %d\n'
                '%s')
        none = log(FIGS % (0, 0, 0, 0, 0, 1000, 1000) +
                   figs % (400, 400, 100, 'stressor_vm_gone 50\n'))
        classic = log(FIGS % (1, 416, 1, 1, 1, 600, 600) + figs % (100, 100, 25, ''), '')
        leakscan = log(FIGS % (1, 64, 1, 1, 1, 900, 900) + figs % (200, 200, 100, ''), '')
        out = run('none=' + none, 'classic=' + classic, 'leakscan=' + leakscan)[1]
        # classic (1/4 * 1/4) ** 0.5 = 0.25; leakscan (1/2 * 1) ** 0.5 = 0.71;
        # (1 - 0.71) / (1 - 0.25) = 0.39.
        self.assertIn('| stress-ng throughput relative to none, geometric mean over 2 '
                      'stressors (1 left out: not reported by every engine) | 1.00 | 0.25 | '
                      '0.71 | 0.39 |  |  |', out)

    def test_round_by_round_needs_equal_runs(self):
        logs = ['none=' + self.none, 'none=' + self.none, 'classic=' + self.classic,
                'leakscan=' + self.leakscan]
        out = run(*logs)[1]
        self.assertIn('| the same ratio, round by round (rounds with one) |  |  |  | '
                      'n/a: runs differ in number |  |  |', out)

    def test_largest_stressors(self):
        # The stressors with the largest share of none's sum, each with
        # every engine's median and its own ratio.
        extra = 'stressor_pipe_sleep 1800\nstressor_pipe_msg 200\n'
        none = log(FIGS % (0, 0, 0, 0, 0, 1000, 1000) + extra)
        classic = log(FIGS % (1, 416, 1, 1, 1, 600, 600) +
                      'stressor_pipe_sleep 1100\nstressor_pipe_msg 100\n', '')
        leakscan = log(FIGS % (1, 64, 1, 1, 1, 900, 900) +
                       'stressor_pipe_sleep 1700\nstressor_pipe_msg 100\n', '')
        out = run('none=' + none, 'classic=' + classic, 'leakscan=' + leakscan)[1]
        self.assertIn('| pipe_sleep | 90 % | 1800 | 1100 | 1700 | 0.14 |', out)
        self.assertIn('| pipe_msg | 10 % | 200 | 100 | 100 | 1.00 |', out)
        self.assertLess(out.index('| pipe_sleep |'), out.index('| pipe_msg |'))
        # Each stressor weighs the same in a geometric mean of its throughput
        # relative to none's: classic (1100/1800 * 100/200) ** 0.5 = 0.55,
        # leakscan (1700/1800 * 100/200) ** 0.5 = 0.69; (1 - 0.69) / (1 - 0.55)
        # = 0.70.
        self.assertIn('| stress-ng throughput relative to none, geometric mean over 2 '
                      'stressors | 1.00 | 0.55 | 0.69 | 0.70 |  |  |', out)
        # Per-stressor figures are not added to the sum.
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | 2000 | 1200 | 1800 | '
                      '0.25 |', out)
        # Without per-stressor figures, no such table.
        out = run('none=' + self.none, 'classic=' + self.classic,
                  'leakscan=' + self.leakscan)[1]
        self.assertNotIn('share of none', out)

    def test_boot_that_died(self):
        # make realbench goes on past a boot that did not finish and names
        # it died:ENGINE=LOG: no figures from it, its splats counted, its
        # first splat shown, and its round left out of the round-by-round
        # ratio. Rounds 1 and 3 give (900 - 1000) / (600 - 1000) = 0.25
        # and (800 - 1000) / (800 - 1000) = 1.00; round 2 would give 0.75.
        dead = console('stress-ng: info: class network\n'
                       '[  99.0] Oops: int3: 0000 [#1] SMP\n[  99.1] RIP: 0010:f+0x19/0x40\n'
                       '[  99.2] Kernel panic - not syncing: Fatal exception in interrupt\n')
        logs = []
        for e, vs in (('none', (1000, 1000, 1000)), ('classic', (600, 600, 800)),
                      ('leakscan', (900, None, 800))):
            for v in vs:
                if v is None:
                    logs.append('died:%s=%s' % (e, dead))
                else:
                    logs.append('%s=%s' % (e, log(FIGS % (1, 64, 1, 1, 1, v // 2, v // 2),
                                                  '')))
        rc, out = run(*logs)
        self.assertEqual(rc, 0)
        self.assertIn('Runs: none 3, classic 3, leakscan 2. Median [min–max]. 1 more '
                      'boot(s) did not finish', out)
        self.assertIn('| the same ratio, round by round (rounds with one) |  |  |  | '
                      '0.62 [0.25–1.00] |  |  |', out)
        self.assertIn('| splat lines on the console | 0 | 0 | 2 |  | = 0 | NO |', out)
        self.assertIn('| leakscan | 2 | %s | `Oops: int3: 0000 [#1] SMP` |'
                      % os.path.basename(dead), out)
        # Leakscan's median is over its two finished boots: (900 + 800) / 2.
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | 1000 [1000–1000] | '
                      '600 [600–800] | 850 [800–900] |', out)

    def test_no_finished_boot_of_none(self):
        # Every boot of none died: no throughput ratio, said as without none.
        dead = console('[  9.0] Kernel panic - not syncing: Fatal exception\n')
        rc, out = run('died:none=' + dead, 'classic=' + self.classic,
                      'leakscan=' + self.leakscan)
        self.assertEqual(rc, 0)
        self.assertIn('| stress-ng bogo-ops/s, summed over the run | n/a | 1200 | 1800 | '
                      'n/a | ≤ 0.50 | n/a: needs ENGINE=none |', out)

    def test_no_finished_boot_is_an_error(self):
        dead = console('[  9.0] Kernel panic - not syncing: Fatal exception\n')
        with contextlib.redirect_stderr(io.StringIO()) as err:
            rc = run('none=' + self.none, 'died:classic=' + dead,
                     'leakscan=' + self.leakscan)[0]
        self.assertEqual(rc, 1)
        self.assertIn('no boot of ENGINE=classic finished', err.getvalue())

    def test_unfinished_guest_is_an_error(self):
        cut = console('@@LS-BEGIN figures@@\nboot_s 2\n')
        with contextlib.redirect_stderr(io.StringIO()) as err:
            rc = run('none=' + cut, 'classic=' + self.classic,
                     'leakscan=' + self.leakscan)[0]
        self.assertEqual(rc, 1)
        self.assertIn('no complete figures section', err.getvalue())


class Reporter(unittest.TextTestResult):
    """Print a PASS: or FAIL: line per test, as check.sh counts them."""

    def report(self, status, test):
        print('%s: realbench report: %s' % (status, test.id().split('.', 1)[1]))

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
