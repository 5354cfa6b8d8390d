#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a guest's CPUs spend their time, by sampling their program counters.

  pcprofile.py sample SOCKET OUT [--hz N] [--pid PID] [--log LOG --start RE --stop RE]
  pcprofile.py report VMLINUX SAMPLES [--top N]
  pcprofile.py diff VMLINUX SAMPLES VMLINUX2 SAMPLES2 [--top N]

sample asks QEMU's human monitor (a Unix socket: boot.sh's LS_MONITOR) for
every vCPU's registers N times a second and appends each RIP to OUT, one
hex address a line, until QEMU goes away. With --log, only while the
console LOG has matched START and not yet STOP. The guest must run with
nokaslr for the addresses to match vmlinux's symbols.

report prints the functions with the most samples; diff prints how many
more samples (scaled to the first set's total) each function has in the
second set than in the first: what the second kernel spends beyond the
first. Used by scripts/leakscan/profile.sh.
"""
import argparse
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import time

KERNEL_BASE = 0xffffffff00000000
USER = '[user]'
# Past the kernel's text: modules, BPF, trampolines; none of vmlinux's.
OTHER = '[module or other]'


class Symbols:
    """Text symbols of a vmlinux, from nm -n output."""

    def __init__(self, nm_text):
        syms = []
        for line in nm_text.splitlines():
            w = line.split()
            if len(w) >= 3 and w[1] in 'tTwW':
                syms.append((int(w[0], 16), w[2]))
        syms.sort()
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]
        # The text ends at _etext, or _einittext past it; symbols after
        # them are sections of their own, and the last one would collect
        # every module address.
        ends = [a for a, n in syms if n in ('_etext', '_einittext')]
        self.end = max(ends) if ends else None

    @classmethod
    def of(cls, vmlinux):
        return cls(subprocess.run(['nm', '-n', vmlinux], capture_output=True, text=True,
                                  check=True).stdout)

    def name(self, pc):
        if pc < KERNEL_BASE:
            return USER
        if self.end is not None and pc >= self.end:
            return OTHER
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else '[unknown]'


def count(symbols, lines):
    """(Counter of function names, number of samples)."""
    c = collections.Counter()
    n = 0
    for i, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            pc = int(line, 16)
        except ValueError:
            raise ValueError('line %d: not an address: %r' % (i, line)) from None
        c[symbols.name(pc)] += 1
        n += 1
    return c, n


def report(c, n, top):
    out = ['%d samples' % n]
    for name, k in c.most_common(top):
        out.append('%-44s %7d %5.1f%%' % (name, k, 100.0 * k / n))
    return out


def diff(a, na, b, nb, top):
    """Rows (name, extra samples of b scaled to a's total, a's, b's)."""
    if not na or not nb:
        return []
    d = {k: b[k] * na / nb - a[k] for k in set(a) | set(b)}
    rows = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return ['%-44s %+8.1f  (%d vs %d)' % (k, v, a[k], b[k]) for k, v in rows]


def monitor_rips(text):
    return re.findall(r'RIP=([0-9a-f]+)', text)


def sample(args):
    s = socket.socket(socket.AF_UNIX)
    # QEMU makes the socket once boot.sh starts it: wait for as long as
    # the process that starts it (--pid) lives, else 30 s.
    deadline = time.monotonic() + 30
    while True:
        try:
            s.connect(args.socket)
            break
        except OSError:
            alive = args.pid is not None and os.path.exists('/proc/%d' % args.pid)
            if not alive and time.monotonic() > deadline:
                print('pcprofile: error: no monitor at %s' % args.socket, file=sys.stderr)
                return 1
            time.sleep(0.1)
    s.settimeout(10)

    def prompt():
        buf = b''
        while not buf.endswith(b'(qemu) '):
            d = s.recv(65536)
            if not d:
                raise EOFError
            buf += d
        return buf.decode(errors='replace')

    def ask(cmd):
        s.sendall(cmd.encode() + b'\n')
        return prompt()

    started = args.log is None
    n = 0
    with open(args.out, 'a') as out:
        try:
            prompt()        # the banner's
            while True:
                if args.log is not None:
                    try:
                        with open(args.log, errors='replace') as f:
                            text = f.read()
                    except OSError:
                        text = ''
                    started = re.search(args.start, text, re.M) is not None
                    if started and re.search(args.stop, text, re.M):
                        break
                regs = ask('info registers -a')
                if started:
                    for rip in monitor_rips(regs):
                        out.write(rip + '\n')
                        n += 1
                time.sleep(1.0 / args.hz)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            pass            # QEMU is gone: the guest ended
        except OSError as e:
            print('pcprofile: error: the monitor: %s' % e, file=sys.stderr)
            return 1
    print('pcprofile: %d samples in %s' % (n, args.out))
    if not n:
        print('pcprofile: error: no sample taken', file=sys.stderr)
        return 1
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('sample')
    p.add_argument('socket')
    p.add_argument('out')
    p.add_argument('--hz', type=float, default=50)
    p.add_argument('--pid', type=int, help='wait for the monitor while this process lives')
    p.add_argument('--log')
    p.add_argument('--start', default=r'Run /init')
    # real.sh's module churn ends the workload; the leak check's scans follow.
    p.add_argument('--stop', default=r'^real: modules:')
    p = sub.add_parser('report')
    p.add_argument('vmlinux')
    p.add_argument('samples')
    p.add_argument('--top', type=int, default=40)
    p = sub.add_parser('diff')
    p.add_argument('vmlinux')
    p.add_argument('samples')
    p.add_argument('vmlinux2')
    p.add_argument('samples2')
    p.add_argument('--top', type=int, default=25)
    args = ap.parse_args(argv)
    if args.cmd == 'sample':
        if args.hz <= 0:
            ap.error('--hz must be positive')
        return sample(args)
    try:
        if args.cmd == 'report':
            with open(args.samples) as f:
                c, n = count(Symbols.of(args.vmlinux), f)
            print('\n'.join(report(c, n, args.top)))
        else:
            with open(args.samples) as f:
                a, na = count(Symbols.of(args.vmlinux), f)
            with open(args.samples2) as f:
                b, nb = count(Symbols.of(args.vmlinux2), f)
            print('%d and %d samples; extra in the second, scaled to the first:' % (na, nb))
            print('\n'.join(diff(a, na, b, nb, args.top)))
    except (OSError, ValueError, subprocess.CalledProcessError) as e:
        print('pcprofile: error: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
