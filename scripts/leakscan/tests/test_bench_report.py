#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of make bench's reducer, scripts/leakscan/bench_report.py.

Prints one "PASS: name" or "FAIL: name" line per test for check.sh.
"""
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..'))
sys.path.insert(0, HERE)
import bench_report  # noqa: E402
from test_results import Reporter  # noqa: E402


def console(values):
    """A console log whose bench section holds @values (name -> list)."""
    lines = ['[    1.000000] booting', '@@LS-BEGIN bench@@']
    for name, vals in values.items():
        lines += ['bench %s %s' % (name, v) for v in vals]
    lines.append('@@LS-END bench@@')
    return '\n'.join(lines) + '\n'


def engine(pair, storm, scans, meta):
    v = {'pair.kmalloc-32.ns': pair, 'storm.pairs_per_s': storm,
         'boot.init_s': [1.0, 1.2, 1.1]}
    for n, s in scans.items():
        v['scan.live-%d.ns' % n] = s
    for n, m in meta.items():
        v['meta.live-%d.kb' % n] = m
    return v


class BenchReport(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def log(self, name, values):
        path = os.path.join(self.dir.name, name)
        with open(path, 'w') as f:
            f.write(console(values))
        return path

    def data(self):
        return {
            'none': bench_report.parse(self.log('n', engine(
                [300, 100, 310], [1000], {}, {0: [0], 1000: [100, 100, 100]}))),
            'classic': bench_report.parse(self.log('c', engine(
                [10300, 9000, 20000], [100, 120, 110], {0: [200e6] * 3, 1000: [400e6] * 3},
                {0: [0], 1000: [268, 268, 269]}))),
            'leakscan': bench_report.parse(self.log('l', engine(
                [2300, 2400, 2200], [300, 330, 310], {0: [50e6] * 3, 1000: [150e6] * 3},
                {0: [0], 1000: [162.5, 162.5, 162.5]}))),
        }

    def row(self, rows, prefix):
        return next(r for r in rows if r[0].startswith(prefix))

    def test_medians_ranges_and_overhead_ratio(self):
        rows, _ = bench_report.build(self.data(), 3)
        r = self.row(rows, 'kmalloc-32')
        self.assertEqual(r[1:4], ('300 [100–310]', '10300 [9000–20000]', '2300 [2200–2400]'))
        # (2300 - 300) / (10300 - 300)
        self.assertEqual(r[4], '0.20')
        self.assertEqual(r[6], 'yes')

    def test_storm_ratio_is_throughput_over_classic(self):
        rows, _ = bench_report.build(self.data(), 3)
        r = self.row(rows, 'storm')
        self.assertEqual(r[4], '2.82')
        self.assertEqual(r[6], 'yes')

    def test_scan_ratio_and_marginal_cost(self):
        rows, _ = bench_report.build(self.data(), 3)
        r = self.row(rows, 'full scan, 1,000 live')
        self.assertEqual(r[4], '0.38')
        self.assertEqual(r[6], 'yes')
        per_obj = self.row(rows, 'scan cost per live object')
        # (400 ms - 200 ms) / 1000 objects, and (150 - 50) / 1000
        self.assertEqual(per_obj[2:4], ('200000', '100000'))

    def test_metadata_is_the_delta_against_none(self):
        rows, _ = bench_report.build(self.data(), 3)
        r = self.row(rows, 'metadata, 1,000 objects')
        # (162.5 - 100) KiB * 1024 / 1000 objects = 64.0 bytes
        self.assertEqual(r[3], '64.0 [64.0–64.0]')
        self.assertEqual(r[6], 'yes')

    def test_a_missed_target_says_so(self):
        d = self.data()
        d['leakscan']['pair.kmalloc-32.ns'] = [8000, 8000, 8000]
        rows, bars = bench_report.build(d, 3)
        self.assertEqual(self.row(rows, 'kmalloc-32')[6], 'NO')
        self.assertIn('#c33', bench_report.svg(bars))

    def test_a_guest_that_did_not_finish_is_an_error(self):
        path = os.path.join(self.dir.name, 'cut')
        with open(path, 'w') as f:
            f.write('@@LS-BEGIN bench@@\nbench pair.kmalloc-32.ns 5\n')
        with self.assertRaises(bench_report.BenchError):
            bench_report.parse(path)

    def test_a_guest_error_line_is_an_error(self):
        path = os.path.join(self.dir.name, 'err')
        with open(path, 'w') as f:
            f.write('@@LS-BEGIN bench@@\nbench: cannot hold 1000000 objects\n@@LS-END bench@@\n')
        with self.assertRaises(bench_report.BenchError):
            bench_report.parse(path)

    def test_irqsoff_row_compares_the_irqsoff_builds(self):
        d = self.data()
        d['classic-irqsoff'] = bench_report.parse(self.log('ci', {
            'irqsoff.scan.max_us': [90000, 80000, 85000]}))
        d['leakscan-irqsoff'] = bench_report.parse(self.log('li', {
            'irqsoff.scan.max_us': [900, 1200, 1000]}))
        rows, bars = bench_report.build(d, 3)
        r = self.row(rows, 'longest stretch with interrupts off')
        self.assertEqual(r[1:7], ('–', '85000 [80000–90000]', '1000 [900–1200]', '0.01',
                                  'leakscan/classic ≤ 0.25', 'yes'))
        d['leakscan-irqsoff']['irqsoff.scan.max_us'] = [30000] * 3
        rows, bars = bench_report.build(d, 3)
        self.assertEqual(self.row(rows, 'longest stretch with interrupts off')[6], 'NO')

    def test_growth_row_is_the_scan_with_the_table_over_without(self):
        d = self.data()
        d['leakscan']['scan.sites-512.live-1000.growth-off.ns'] = [100e6, 110e6, 90e6]
        d['leakscan']['scan.sites-512.live-1000.growth-on.ns'] = [105e6, 104e6, 120e6]
        rows, bars = bench_report.build(d, 3)
        r = self.row(rows, 'scan of 1,000 objects from 512 backtraces')
        self.assertEqual(r[1:7], ('–', '–', '100.0 [90.0–110.0] → 105.0 [104.0–120.0]',
                                  '1.05', 'on/off ≤ 1.10', 'yes'))
        d['leakscan']['scan.sites-512.live-1000.growth-on.ns'] = [115e6] * 3
        rows, _ = bench_report.build(d, 3)
        self.assertEqual(self.row(rows, 'scan of 1,000 objects from 512')[6], 'NO')
        # Absent without its figures.
        rows, _ = bench_report.build(self.data(), 3)
        self.assertFalse([r for r in rows if 'growth table' in r[0]])

    def test_irqsoff_row_is_absent_without_its_builds(self):
        rows, _ = bench_report.build(self.data(), 3)
        self.assertFalse([r for r in rows if 'interrupts off' in r[0]])

    def test_main_needs_all_three_engines(self):
        with open(os.devnull, 'w') as null:
            err, sys.stderr = sys.stderr, null
            try:
                rc = bench_report.main(['none=' + self.log('n2', {})])
            finally:
                sys.stderr = err
        self.assertEqual(rc, 1)


if __name__ == '__main__':
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(stream=sys.stderr, resultclass=Reporter, verbosity=0)
    sys.exit(0 if runner.run(suite).wasSuccessful() else 1)
