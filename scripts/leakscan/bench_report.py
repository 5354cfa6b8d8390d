#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reduce the bench guests' output to one table and one chart.

  bench_report.py [--runs N] [--md FILE] [--svg FILE] ENGINE=LOG ...

Each LOG is a guest console with a "bench" section of "bench NAME VALUE"
lines (scripts/leakscan/guest/bench.sh). Engines none, classic and
leakscan are expected; classic-irqsoff and leakscan-irqsoff, the same
engines with the irqsoff tracer, add the row of the longest stretch with
interrupts off. Every figure is the median of its runs, shown with its
minimum and maximum; ratios are taken between medians.
"""
import argparse
import datetime
import os
import platform
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

ENGINES = ('none', 'classic', 'leakscan')
IRQSOFF = ('classic-irqsoff', 'leakscan-irqsoff')
PAIRS = ('kmalloc-32', 'kmalloc-256', 'kmalloc-4096', 'cache-128', 'vmalloc-4096')
LIVE_SIZE = 128     # bytes per live object (leakscan_bench's default)
TARGET_COST = 0.5   # leakscan's cost as a fraction of classic's, at most
TARGET_META = 72    # bytes per tracked object, at most: 64, and 8 for the referrer
TARGET_STORM = 2.0  # leakscan's storm throughput over classic's, at least
TARGET_IRQSOFF = 0.25  # leakscan's longest irqs-off stretch over classic's
TARGET_GROWTH = 1.10  # a scan with the growth table over one without, at most


class BenchError(Exception):
    pass


def parse(path):
    """{name: [values]} from the bench section of a console log."""
    lines = results.section(path, 'bench')
    if lines is None or '@@LS-END bench@@' not in set(results.lines_of(path)):
        raise BenchError('%s has no complete bench section: the guest did not finish'
                         % path)
    out = {}
    for line in lines:
        words = line.split()
        if len(words) == 3 and words[0] == 'bench':
            try:
                out.setdefault(words[1], []).append(float(words[2]))
            except ValueError:
                raise BenchError('%s: bad value in %r' % (path, line))
        elif line.startswith('bench:'):
            raise BenchError('%s: %s' % (path, line))
    return out


class Fig:
    """A figure: its runs, reduced to median, min and max."""

    def __init__(self, values):
        self.values = values
        self.med = statistics.median(values) if values else None
        self.lo = min(values) if values else None
        self.hi = max(values) if values else None

    def fmt(self, scale=1.0, digits=0):
        if self.med is None:
            return 'n/a'
        f = '%%.%df' % digits
        s = f % (self.med * scale)
        if len(self.values) > 1:
            s += ' [' + f % (self.lo * scale) + '–' + f % (self.hi * scale) + ']'
        return s


def live_counts(data):
    counts = set()
    for d in data.values():
        for name in d:
            if name.startswith('scan.live-') or name.startswith('meta.live-'):
                counts.add(int(name.split('.')[1][len('live-'):]))
    return sorted(counts)


def ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def check(value, target, at_most=True):
    if value is None:
        return 'n/a'
    ok = value <= target if at_most else value >= target
    return 'yes' if ok else 'NO'


def rfmt(r):
    return 'n/a' if r is None else '%.2f' % r


def build(data, runs):
    """Rows of the table, and the (label, fraction, met) bars of the chart."""
    rows, bars = [], []

    def fig(engine, name):
        return Fig(data[engine].get(name, []))

    for p in PAIRS:
        name = 'pair.%s.ns' % p
        n, c, s = (fig(e, name) for e in ENGINES)
        r = None
        if None not in (n.med, c.med, s.med):
            r = ratio(s.med - n.med, c.med - n.med)
        rows.append(('%s alloc/free pair (ns)' % p, n.fmt(), c.fmt(), s.fmt(),
                     rfmt(r), '(leakscan−none)/(classic−none) ≤ %.1f' % TARGET_COST,
                     check(r, TARGET_COST)))
        bars.append(('pair %s: overhead vs classic' % p, r, TARGET_COST))

    n, c, s = (fig(e, 'unwind-16.ns') for e in ENGINES)
    rows.append(('stack_trace_save(), 16 frames (ns)', n.fmt(), c.fmt(), s.fmt(),
                 '', 'the unwind alone, for reference', ''))

    n, c, s = (fig(e, 'storm.pairs_per_s') for e in ENGINES)
    r = ratio(s.med, c.med)
    rows.append(('storm on all vCPUs (pairs/s)', n.fmt(), c.fmt(), s.fmt(), rfmt(r),
                 'leakscan/classic ≥ %.0f' % TARGET_STORM, check(r, TARGET_STORM, False)))
    bars.append(('storm: classic/leakscan throughput', ratio(c.med, s.med),
                 1 / TARGET_STORM))

    counts = live_counts(data)
    base = {e: fig(e, 'scan.live-0.ns') for e in ENGINES[1:]}
    for count in counts:
        if count == 0:
            continue
        c, s = (fig(e, 'scan.live-%d.ns' % count) for e in ENGINES[1:])
        r = ratio(s.med, c.med)
        rows.append(('full scan, %s live objects (ms)' % f'{count:,}', '–',
                     c.fmt(1e-6, 1), s.fmt(1e-6, 1), rfmt(r),
                     'leakscan/classic ≤ %.1f' % TARGET_COST, check(r, TARGET_COST)))
        bars.append(('scan, %s objects: time vs classic' % f'{count:,}', r, TARGET_COST))
    if counts and counts[-1] > 0:
        top = counts[-1]
        mb = top * LIVE_SIZE / 2**20
        per = {}
        for e in ENGINES[1:]:
            f, b = fig(e, 'scan.live-%d.ns' % top), base[e]
            if f.med is not None and b.med is not None:
                per[e] = (f.med - b.med) / 1e6 / mb, (f.med - b.med) / top
        if per:
            rows.append(('scan cost per MB of live objects (ms/MB)', '–',
                         '%.2f' % per['classic'][0] if 'classic' in per else 'n/a',
                         '%.2f' % per['leakscan'][0] if 'leakscan' in per else 'n/a',
                         rfmt(ratio(per.get('leakscan', (None,))[0],
                                    per.get('classic', (None,))[0])), '', ''))
            rows.append(('scan cost per live object (ns)', '–',
                         '%.0f' % per['classic'][1] if 'classic' in per else 'n/a',
                         '%.0f' % per['leakscan'][1] if 'leakscan' in per else 'n/a',
                         '', '', ''))

    # The growth table's share of a scan (leakscan only).
    if counts and counts[-1] > 0:
        top = counts[-1]
        off, on = (fig('leakscan', 'scan.sites-512.live-%d.growth-%s.ns' % (top, k))
                   for k in ('off', 'on'))
        r = ratio(on.med, off.med)
        if r is not None:
            rows.append(('scan of %s objects from 512 backtraces, growth table off → on (ms)'
                         % f'{top:,}', '–', '–',
                         '%s → %s' % (off.fmt(1e-6, 1), on.fmt(1e-6, 1)), rfmt(r),
                         'on/off ≤ %.2f' % TARGET_GROWTH, check(r, TARGET_GROWTH)))
            bars.append(('scan: growth table on vs off', r, TARGET_GROWTH))

    for count in counts:
        if count == 0:
            continue
        name = 'meta.live-%d.kb' % count
        n = fig('none', name)
        per = {}
        for e in ENGINES[1:]:
            f = fig(e, name)
            if f.med is not None and n.med is not None:
                per[e] = Fig([(v - n.med) * 1024 / count for v in f.values])
        c, s = per.get('classic', Fig([])), per.get('leakscan', Fig([]))
        # Slab and Percpu come in KiB, and move by a few KiB between runs:
        # the largest count gives the per-object figure; judge it as shown,
        # to 0.1 B.
        shown = None if s.med is None else round(s.med, 1)
        judged = count == counts[-1]
        rows.append(('metadata, %s objects (bytes/object)' % f'{count:,}', '0',
                     c.fmt(1, 1), s.fmt(1, 1), rfmt(ratio(s.med, c.med)),
                     'leakscan ≤ %d' % TARGET_META if judged else '',
                     check(shown, TARGET_META) if judged else ''))
        if count == counts[-1] and c.med:
            bars.append(('metadata: bytes/object vs classic', ratio(s.med, c.med),
                         TARGET_META / c.med))

    if all(e in data for e in IRQSOFF):
        c, s = (fig(e, 'irqsoff.scan.max_us') for e in IRQSOFF)
        r = ratio(s.med, c.med)
        rows.append(('longest stretch with interrupts off in a scan of 1,000,000 '
                     'objects and a 64 MiB leak (µs)', '–', c.fmt(), s.fmt(), rfmt(r),
                     'leakscan/classic ≤ %.2f' % TARGET_IRQSOFF,
                     check(r, TARGET_IRQSOFF)))
        bars.append(('longest irqs-off stretch vs classic', r, TARGET_IRQSOFF))

    n, c, s = (fig(e, 'boot.init_s') for e in ENGINES)
    rows.append(('boot to /init (s)', n.fmt(1, 2), c.fmt(1, 2), s.fmt(1, 2),
                 rfmt(ratio(s.med, c.med)), '', ''))
    return rows, bars


def table_md(rows):
    head = ('figure', 'none', 'classic', 'leakscan', 'ratio', 'target', 'met')
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        out.append('| ' + ' | '.join(r) + ' |')
    return '\n'.join(out)


def svg(bars):
    """Horizontal bars: leakscan as a fraction of classic, target marked."""
    w, left, bar_h, gap, top = 760, 300, 18, 8, 40
    scale = (w - left - 40) / 1.2   # 1.2 = the widest fraction drawn
    h = top + len(bars) * (bar_h + gap) + 40
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (w, h),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14">leakscan as a fraction of classic '
           '(shorter is better; tick: target)</text>']
    for i, (label, frac, target) in enumerate(bars):
        y = top + i * (bar_h + gap)
        out.append('<text x="10" y="%d">%s</text>' % (y + 13, label))
        if frac is None:
            out.append('<text x="%d" y="%d">n/a</text>' % (left, y + 13))
            continue
        length = min(frac, 1.2) * scale
        colour = '#2a7' if frac <= target else '#c33'
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                   % (left, y, length, bar_h, colour))
        out.append('<text x="%.1f" y="%d">%.2f</text>' % (left + length + 4, y + 13, frac))
        tx = left + target * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" '
                   'stroke-width="2"/>' % (tx, y - 2, tx, y + bar_h + 2))
    x1 = left + scale
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#888" '
               'stroke-dasharray="4"/>' % (x1, top - 6, x1, h - 30))
    out.append('<text x="%.1f" y="%d" fill="#555">= classic</text>' % (x1 - 20, h - 14))
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--md')
    ap.add_argument('--svg')
    ap.add_argument('--kernel', default='7.3',
                    help='the guests\' kernel version, for the heading')
    ap.add_argument('logs', nargs='+', help='ENGINE=LOG')
    args = ap.parse_args(argv)
    data = {}
    try:
        for spec in args.logs:
            engine, sep, path = spec.partition('=')
            if not sep or engine not in ENGINES + IRQSOFF:
                raise BenchError('expected ENGINE=LOG with ENGINE one of %s, got %r'
                                 % (', '.join(ENGINES + IRQSOFF), spec))
            data[engine] = parse(path)
        missing = [e for e in ENGINES if e not in data]
        if missing:
            raise BenchError('no log for ENGINE=%s' % ', '.join(missing))
    except (BenchError, OSError) as e:
        print('bench_report: error: %s' % e, file=sys.stderr)
        return 1
    rows, bars = build(data, args.runs)
    stamp = datetime.date.today().isoformat()
    head = ('leakscan benchmark, %s, on %s (%d CPUs), Linux %s guests under QEMU '
            'TCG (no KVM), 2 vCPUs, 1 GiB; classic is the stock engine of the same '
            'tree. Median [min–max] of %d runs.'
            % (stamp, platform.node() or 'this machine', os.cpu_count() or 0,
               args.kernel, args.runs))
    text = head + '\n\n' + table_md(rows) + '\n'
    print(text)
    if args.md:
        with open(args.md, 'w') as f:
            f.write(text)
    if args.svg:
        with open(args.svg, 'w') as f:
            f.write(svg(bars))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
