#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read a guest console log: result sections, KTAP results and splats.

  results.py sections LOG           list the @@LS-BEGIN name@@ sections
  results.py ktap LOG SECTION       print PASS/FAIL/SKIP lines for the leaf
                                    results of a KTAP section, then the
                                    messages of each failed test
  results.py splats LOG             print every kernel splat; exit 1 if any
  results.py records LOG [KNOWN]    print each record of the "report"
                                    section as "site size comm address"; with
                                    KNOWN (a known-leaks file), print FAIL for
                                    each site not in it and exit 1 if any
  results.py figures LOG            print the "figures" section's key value
                                    lines
"""
import re
import sys

TIME = re.compile(r'^\[\s*\d+\.\d+\]\s?')
RESULT = re.compile(r'^(not ok|ok)\s+(\d+)\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$')

# KTAP's version and plan lines, at any depth: not messages.
PREAMBLE = re.compile(r'^[#\s]*(K?TAP version \d+|1\.\.\d+)\s*$')

# What a kernel prints when something went wrong. A leak report is not a
# splat: it is what we ask for.
SPLATS = [
    (r'\bBUG: ', 'BUG'),
    (r'\bWARNING: ', 'WARNING'),
    (r'\bOops\b', 'Oops'),
    (r'kernel BUG at ', 'BUG'),
    (r'general protection fault', 'general protection fault'),
    (r'Kernel panic - not syncing', 'panic'),
    (r'possible recursive locking detected', 'lockdep'),
    (r'possible circular locking dependency', 'lockdep'),
    (r'inconsistent lock state', 'lockdep'),
    (r'possible irq lock inversion', 'lockdep'),
    (r'suspicious RCU usage', 'lockdep'),
    (r'DEBUG_LOCKS_WARN_ON', 'lockdep'),
    (r'INFO: lockdep is turned off', 'lockdep'),
    (r'sleeping function called from invalid context', 'might_sleep'),
    (r'soft lockup - CPU#', 'soft lockup'),
    (r'hard LOCKUP', 'hard lockup'),
    (r'rcu: INFO: .*detected stalls', 'RCU stall'),
    (r'rcu_(?:sched|preempt) self-detected stall', 'RCU stall'),
    (r'blocked for more than \d+ seconds', 'hung task'),
    (r'\bUBSAN: ', 'UBSAN'),
    (r'\bKASAN: ', 'KASAN'),
    (r'\bKFENCE: ', 'KFENCE'),
    (r'kmemleak: Cannot allocate', 'leak detector disabled'),
    # Any other stack dump, such as schedule_timeout()'s on a bad timeout.
    (r'\bCall Trace:', 'stack dump'),
]
SPLAT_RE = [(re.compile(p), name) for p, name in SPLATS]


def lines_of(path):
    with open(path, errors='replace') as f:
        for line in f:
            yield TIME.sub('', line.rstrip('\r\n'))


def section(path, name):
    out, inside = [], False
    for line in lines_of(path):
        if line == '@@LS-BEGIN %s@@' % name:
            inside, out = True, []
        elif line == '@@LS-END %s@@' % name:
            return out
        elif inside:
            out.append(line)
    return out if inside else None


def sections(path):
    return [l[len('@@LS-BEGIN '):-2] for l in lines_of(path)
            if l.startswith('@@LS-BEGIN ') and l.endswith('@@')]


def depth_of(line):
    """Depth and text of a KTAP result line.

    kselftest's runner nests a test's own KTAP output under "# ", KUnit
    under four spaces. Only prefixes in front of a result line count.
    """
    for prefix in ('# ', '    '):
        if line.startswith(prefix):
            depth, rest = depth_of(line[len(prefix):])
            if RESULT.match(rest):
                return depth + 1, rest
    return 0, line


def ktap_leaves(lines):
    """Results of tests that have no subtests, as (status, name) pairs.

    A result at depth d closes the results seen deeper since the previous
    result at depth d (its subtests); it is a leaf when there were none.
    A parent that failed although all its subtests passed (a crash, a
    missing result, a bad exit status) counts as one more failure.
    """
    leaves = []
    start = {}          # depth -> len(leaves) after the previous result there
    had_children = {}   # depth -> a deeper result was seen since then
    for raw in lines:
        depth, line = depth_of(raw)
        m = RESULT.match(line)
        if not m:
            continue
        status = 'FAIL' if m.group(1) == 'not ok' else 'PASS'
        directive = (m.group(4) or '').strip().upper()
        if directive.startswith('SKIP'):
            status = 'SKIP'
        name = m.group(3).strip() or 'test %s' % m.group(2)
        full = name
        if not had_children.get(depth):
            leaves.append((status, full))
        elif status == 'FAIL' and all(s != 'FAIL' for s, _ in leaves[start.get(depth, 0):]):
            leaves.append(('FAIL', full + ' (the test as a whole)'))
        had_children[depth] = False
        start[depth] = len(leaves)
        for d in range(depth):
            had_children[d] = True
    return leaves


def failed_notes(lines, limit=80):
    """The messages ("# ..." lines) of each top-level test that failed.

    A top-level test's lines are those since the previous top-level
    result; only its last @limit messages are kept, as "name: message".
    """
    notes, mine = [], []
    for raw in lines:
        depth, line = depth_of(raw)
        m = RESULT.match(line)
        if m and depth == 0:
            if m.group(1) == 'not ok':
                name = m.group(3).strip() or 'test %s' % m.group(2)
                notes.extend('%s: %s' % (name, n) for n in mine[-limit:])
            mine = []
        elif not m and raw.lstrip().startswith('#') and not PREAMBLE.match(raw):
            mine.append(raw.strip())
    return notes


# Stack dumps that the kernel prints by design when a workload asks for
# more memory than there is (trinity, stress-ng): an allocation that may
# fail did, or the OOM killer ran. The dump follows its header within a
# few lines.
EXPECTED_DUMP = re.compile(r': page allocation failure: |invoked oom-killer: ')


# Lines that look like a splat and are not: fs/namespace.c's banner for
# the deprecated "mand" mount option, which fuzzers ask for.
NOT_SPLAT = re.compile(r'WARNING: The mand mount option has been deprecated')


def splats(path):
    """Splats on a console log, but for the lines of a "report" section:
    a leak report's hex dump may spell anything."""
    found, recent, in_report = [], [], False
    for line in lines_of(path):
        if line in ('@@LS-BEGIN report@@', '@@LS-END report@@'):
            in_report = line == '@@LS-BEGIN report@@'
            continue
        if in_report or NOT_SPLAT.search(line):
            continue
        for rx, name in SPLAT_RE:
            if rx.search(line):
                if name == 'stack dump' and any(EXPECTED_DUMP.search(l) for l in recent):
                    break
                found.append((name, line))
                break
        recent = (recent + [line])[-4:]
    return found


# A record's site is its first frame that is not the allocator's, much as
# syzkaller titles a leak (pkg/report/linux.go): a frame is skipped if its
# function's name contains any of these.
ALLOCATOR = re.compile(r'kmemleak|leakscan|kmem|slab|alloc|create_object|strdup|'
                       r'memdup|percpu|mempool|kvmalloc|vmalloc|vzalloc|asprintf')
RECORD = re.compile(r'^unreferenced object(?: \([a-z]+\))? (0x[0-9a-f]+) \(size (\d+)\):')
FRAME = re.compile(r'^\s+(?:\[<?(?:0x)?[0-9a-f]+>?\]\s+)?([A-Za-z0-9_.]+)\+0x')


def records(lines):
    """The records of a kmemleak report: (site, size, comm, address)."""
    out, cur, frames, in_bt = [], None, [], False

    def close():
        if cur is not None:
            site = next((f for f in frames if not ALLOCATOR.search(f)),
                        frames[-1] if frames else '?')
            out.append((site.split('.')[0], cur[1], cur[2], cur[0]))
    for line in lines:
        m = RECORD.match(line)
        if m:
            close()
            cur, frames, in_bt = [m.group(1), m.group(2), '?'], [], False
            continue
        if cur is None:
            continue
        c = re.match(r'^\s+comm "(.*)", pid', line)
        if c:
            cur[2] = c.group(1).replace(' ', '_')
        elif line.strip().startswith('backtrace'):
            in_bt = True
        elif in_bt:
            f = FRAME.match(line)
            if f:
                frames.append(f.group(1))
    close()
    return out


def known_sites(path):
    """Sites of a known-leaks file: the first word of each line that is
    not a comment."""
    sites = set()
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                sites.add(line.split()[0])
    return sites


def main(argv):
    if len(argv) >= 3 and argv[1] == 'sections':
        print('\n'.join(sections(argv[2])))
        return 0
    if len(argv) >= 4 and argv[1] == 'ktap':
        lines = section(argv[2], argv[3])
        if lines is None:
            print('FAIL: %s: no results in the console log' % argv[3])
            return 1
        leaves = ktap_leaves(lines)
        if not leaves:
            print('FAIL: %s: no test results' % argv[3])
            return 1
        for status, name in leaves:
            print('%s: %s: %s' % (status, argv[3], name))
        for note in failed_notes(lines):
            print('note: %s' % note)
        return 1 if any(s == 'FAIL' for s, _ in leaves) else 0
    if len(argv) >= 3 and argv[1] == 'splats':
        found = splats(argv[2])
        for name, line in found:
            print('%s: %s' % (name, line))
        return 1 if found else 0
    if len(argv) >= 3 and argv[1] == 'records':
        lines = section(argv[2], 'report')
        if lines is None:
            print('FAIL: the console log has no leak report')
            return 1
        recs = records(lines)
        for r in recs:
            print('%s %s %s %s' % r)
        if len(argv) < 4:
            return 0
        known = known_sites(argv[3])
        unknown = sorted({r[0] for r in recs} - known)
        for site in unknown:
            print('FAIL: reported site %s is not in the known leaks' % site)
        return 1 if unknown else 0
    if len(argv) >= 3 and argv[1] == 'figures':
        lines = section(argv[2], 'figures')
        if lines is None:
            print('FAIL: the console log has no figures')
            return 1
        print('\n'.join(lines))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
