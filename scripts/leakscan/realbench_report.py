#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare none, classic and leakscan after the full profile's real workload.

  realbench_report.py [--md FILE] [--kernel VERSION] [died:]ENGINE=LOG ...

Each LOG is a guest console of make realbench (lsmode=real): a "figures"
section of "key value" lines (scripts/leakscan/guest/real.sh) and, but for
ENGINE=none, a "report" section holding the leak report. ENGINE=none is
optional: without it there is no throughput ratio. An engine may
have several logs (REALBENCH_RUNS), given round by round; figures are the
median of all their values, with minimum and maximum. A log given as
died:ENGINE=LOG is a boot that did not finish: it gives no figures, its
splats are counted, and its first splat is shown. Prints, and writes to FILE:
  - a table of the figures, with leakscan's ratios to classic and targets;
  - the stressors with the largest share of none's summed bogo-ops/s, with
    each engine's median and ratio (given stressor_<class>_<name> figures);
  - each reported site, with its records per engine and whether the other
    engine reported it too.
"""
import argparse
import datetime
import math
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402
from bench_report import Fig, ratio, check, rfmt  # noqa: E402

ENGINES = ('none', 'classic', 'leakscan')
CLASS = 'bogo_ops_per_s_'     # a stress-ng class's sum (guest/real.sh)
STRESSOR = 'stressor_'        # one stressor's: stressor_<class>_<name>
TARGET_OVERHEAD = 0.5   # (leakscan - none) / (classic - none) in bogo-ops/s
TARGET_SCAN = 0.5       # leakscan's full scan time over classic's


class ReportError(Exception):
    pass


def parse(path, engine):
    """(figures {key: [values]}, [records], splats) of one console log."""
    lines = results.section(path, 'figures')
    if lines is None or '@@LS-END figures@@' not in set(results.lines_of(path)):
        raise ReportError('%s has no complete figures section: the guest did not finish'
                          % path)
    figs = {}
    for line in lines:
        words = line.split()
        if len(words) != 2:
            continue
        try:
            figs.setdefault(words[0], []).append(float(words[1]))
        except ValueError:
            raise ReportError('%s: bad value in %r' % (path, line))
    recs = []
    if engine != 'none':
        rep = results.section(path, 'report')
        if rep is None:
            raise ReportError('%s has no leak report' % path)
        recs = results.records(rep)
    return figs, recs, len(results.splats(path))


def died(path):
    """(None, [], splats, what) of a boot that did not finish: what is
    its first splat line (what killed it), or its last line, for the table
    of such boots."""
    found = results.splats(path)
    lines = [l for l in results.lines_of(path) if l.strip()]
    what = found[0][1] if found else (lines[-1] if lines else 'an empty console')
    return None, [], len(found), what.strip()


def merge(runs):
    """One engine's runs: figures joined, bogo-ops/s summed per finished run.

    Also returns each run's sum, None for a boot that did not finish, so
    that rounds stay aligned across engines.
    """
    figs, recs, splats, sums = {}, [], 0, []
    for f, r, s, *_ in runs:
        splats += s
        if f is None:
            sums.append(None)
            continue
        for k, v in f.items():
            figs.setdefault(k, []).extend(v)
        total = sum(v[0] for k, v in f.items() if k.startswith(CLASS))
        figs.setdefault('bogo_ops_per_s', []).append(total)
        sums.append(total)
        recs.extend(r)
    return figs, recs, splats, sums


def overhead(none, classic, leakscan):
    """(leakscan - none) / (classic - none) in throughput, or None.

    Each engine's loss of throughput against none. Unless the stock engine
    lost some, there is no ratio to speak of; and a leakscan gain counts as
    no loss, not as a negative one.
    """
    if none is None or classic is None or leakscan is None or classic >= none:
        return None
    return max(none - leakscan, 0) / (none - classic)


def medians(data, prefix):
    """{engine: {name: median}} of the figures named prefix + name."""
    return {e: {k[len(prefix):]: Fig(v).med for k, v in data[e][0].items()
                if k.startswith(prefix)} for e in data}


def geomeans(data):
    """({engine: geometric mean}, stressors used, stressors left out).

    The mean is over stressors of each engine's median rate over none's. A
    stressor in several classes (vm and memory share some) counts once; one
    that some engine did not report (stress-ng leaves out a stressor that
    did nothing) is left out, and counted. ({}, 0, 0) without ENGINE=none.
    """
    if not all(e in data for e in ENGINES):
        return {}, 0, 0
    med = {}
    for e, figs in medians(data, STRESSOR).items():
        med[e] = {}
        for k, v in figs.items():
            med[e].setdefault(k.split('_', 1)[-1], v)
    names = [n for n in med['none'] if all(med[e].get(n) for e in ENGINES)]
    if not names:
        return {}, 0, len(med['none'])
    return ({e: math.exp(sum(math.log(med[e][n] / med['none'][n]) for n in names) /
                         len(names)) for e in ENGINES},
            len(names), len(med['none']) - len(names))


def stressors(data, top=8):
    """Rows for the stressors with the largest share of none's sum.

    One stressor can make up most of the sum (scheduler's sleep does), so
    the sum's ratio is mostly that stressor's: these rows show it.
    """
    if 'none' not in data:
        return []
    med = medians(data, STRESSOR)
    total = sum(med['none'].values())
    if not total:
        return []
    rows = []
    for name in sorted(med['none'], key=lambda n: -med['none'][n])[:top]:
        m = [med.get(e, {}).get(name) for e in ENGINES]
        rows.append((name, '%.0f %%' % (100 * m[0] / total)) +
                    tuple('n/a' if v is None else '%.0f' % v for v in m) +
                    (rfmt(overhead(*m)),))
    return rows


def table(data):
    def fig(e, k):
        return Fig(data[e][0].get(k, []) if e in data else [])

    rows = []

    def row(name, key, scale=1.0, digits=0, target=None, at_most=True, vs_none=False):
        f = {e: fig(e, key) for e in ENGINES}
        if vs_none:
            r = overhead(*(f[e].med for e in ENGINES))
        else:
            r = ratio(f['leakscan'].med, f['classic'].med)
        met = ''
        if target is not None:
            met = check(r, target, at_most)
            if vs_none and not data.get('none', ({},))[0]:
                met = 'n/a: needs ENGINE=none'
        rows.append((name,) + tuple(f[e].fmt(scale, digits) for e in ENGINES) +
                    (rfmt(r), '≤ %.2f' % target if target is not None else '', met))

    row('boot to /init (s)', 'boot_s', digits=2)
    row('objects tracked after boot', 'tracked_after_boot')
    row('metadata per object (bytes, slab object size)', 'metadata_object_bytes')
    row('objects tracked after the workload', 'tracked_after_workload')
    row('Slab after the workload (MB)', 'slab_kb', scale=1 / 1024, digits=1)
    row('full scan after the workload (ms)', 'scan_ns', scale=1e-6, digits=0,
        target=TARGET_SCAN)
    row('stress-ng bogo-ops/s, summed over the run', 'bogo_ops_per_s', digits=0,
        target=TARGET_OVERHEAD, vs_none=True)
    # The sum is dominated by the fastest stressors, whose rates vary from
    # run to run: the ratio of each round's sums shows that spread, and a
    # geometric mean over stressors weighs each stressor alike.
    if all(e in data for e in ENGINES):
        sums = [data[e][3] for e in ENGINES]
        if len(set(map(len, sums))) == 1:
            # overhead() gives no ratio for a round where a boot died.
            per_round = [r for r in (overhead(*v) for v in zip(*sums)) if r is not None]
            spread = Fig(per_round).fmt(digits=2)
        else:
            spread = 'n/a: runs differ in number'
        rows.append(('the same ratio, round by round (rounds with one)', '', '', '',
                     spread, '', ''))
        rel, used, left = geomeans(data)
        if rel:
            name = ('stress-ng throughput relative to none, geometric mean over %d '
                    'stressors' % used)
            if left:
                name += ' (%d left out: not reported by every engine)' % left
            rows.append((name,) + tuple('%.2f' % rel[e] for e in ENGINES) +
                        (rfmt(overhead(*(rel[e] for e in ENGINES))), '', ''))
    # The sum is the target's; each class's own ratio says where it comes from.
    classes = []
    for e in ENGINES:
        for k in data.get(e, ({},))[0]:
            if k.startswith(CLASS) and k[len(CLASS):] not in classes:
                classes.append(k[len(CLASS):])
    for c in classes:
        row('stress-ng class %s (bogo-ops/s)' % c, CLASS + c, vs_none=True)
    row('longest irqs-off stretch during a scan (µs)', 'irqsoff_us')
    rows.append(('splat lines on the console',) +
                tuple(str(data[e][2]) if e in data else 'n/a' for e in ENGINES) +
                ('', '= 0', 'yes' if all(d[2] == 0 for d in data.values()) else 'NO'))
    return rows


def sites(data):
    """Rows (site, classic records, leakscan records, verdict)."""
    count = {e: {} for e in ('classic', 'leakscan')}
    for e in count:
        for r in data[e][1]:
            count[e][r[0]] = count[e].get(r[0], 0) + 1
    rows = []
    for s in sorted(set(count['classic']) | set(count['leakscan'])):
        c, l = count['classic'].get(s, 0), count['leakscan'].get(s, 0)
        if c and l:
            verdict = 'both'
        elif l:
            verdict = 'leakscan only: explain with dump='
        else:
            verdict = 'classic only: explain with dump='
        rows.append((s, str(c), str(l), verdict))
    return rows


def md(head, rows):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    out += ['| ' + ' | '.join(r) + ' |' for r in rows]
    return '\n'.join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--md')
    ap.add_argument('--kernel', default='7.3')
    ap.add_argument('logs', nargs='+', help='ENGINE=LOG')
    args = ap.parse_args(argv)
    runs, dead_runs = {}, []
    try:
        for spec in args.logs:
            engine, sep, path = spec.partition('=')
            dead = engine.startswith('died:')
            engine = engine[len('died:'):] if dead else engine
            if not sep or engine not in ENGINES:
                raise ReportError('expected [died:]ENGINE=LOG with ENGINE one of %s, '
                                  'got %r' % (', '.join(ENGINES), spec))
            runs.setdefault(engine, []).append(died(path) if dead else parse(path, engine))
            if dead:
                dead_runs.append((engine, len(runs[engine]), os.path.basename(path),
                                  runs[engine][-1][3]))
        # ENGINE=none is optional (REALBENCH_ENGINES): without it, there
        # is no throughput ratio.
        missing = [e for e in ('classic', 'leakscan') if e not in runs]
        if missing:
            raise ReportError('no log for ENGINE=%s' % ', '.join(missing))
        unfinished = [e for e in ('classic', 'leakscan')
                      if all(r[0] is None for r in runs[e])]
        if unfinished:
            raise ReportError('no boot of ENGINE=%s finished' % ', '.join(unfinished))
    except (ReportError, OSError) as e:
        print('realbench_report: error: %s' % e, file=sys.stderr)
        return 1
    data = {e: merge(runs[e]) for e in runs}
    n = {e: sum(r[0] is not None for r in runs.get(e, [])) for e in ENGINES}
    head = ('leakscan real-workload benchmark, %s, on %s (%d CPUs): Linux %s, '
            'x86_64_defconfig + kvm_guest.config, under QEMU TCG, 2 vCPUs, 3 GiB. '
            'Runs: none %d, classic %d, leakscan %d. Median [min–max].'
            % (datetime.date.today().isoformat(), platform.node() or 'this machine',
               os.cpu_count() or 0, args.kernel, n['none'], n['classic'], n['leakscan']))
    if dead_runs:
        head += (' %d more boot(s) did not finish; they give no figures, and their '
                 'splats are counted. The other engines\' boots of their rounds still '
                 'count in the medians, but not in the round-by-round ratio.'
                 % len(dead_runs))
    text = (head + '\n\n' +
            md(('figure',) + ENGINES + ('ratio', 'target', 'met'), table(data)) + '\n\n')
    if dead_runs:
        text += ('Boots that did not finish (engine, its run, console, first splat):\n\n' +
                 md(('engine', 'run', 'console', 'first splat or line'),
                    [(e, str(i), c, '`%s`' % w.replace('`', "'").replace('|', '\\|'))
                     for e, i, c, w in dead_runs]) + '\n\n')
    trows = stressors(data)
    if trows:
        text += ('Stressors with the largest share of none\'s summed bogo-ops/s '
                 '(medians; ratio as above):\n\n' +
                 md(('stressor', 'share of none') + ENGINES + ('ratio',), trows) + '\n\n')
    text += 'Reported sites (first frame past the allocator):\n\n'
    srows = sites(data)
    text += (md(('site', 'classic', 'leakscan', 'reported by'), srows) if srows
             else 'none: neither engine reported a leak.') + '\n'
    print(text)
    if args.md:
        with open(args.md, 'w') as f:
            f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
