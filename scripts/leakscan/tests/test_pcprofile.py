#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/leakscan/pcprofile.py's counting, on made-up symbols.

Prints one "PASS: name" or "FAIL: name" line per test for check.sh.
"""
import contextlib
import io
import os
import socket
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..'))
sys.path.insert(0, HERE)
import pcprofile  # noqa: E402
from test_results import Reporter  # noqa: E402

NM = '''ffffffff81000000 T _stext
ffffffff81000100 t ls_insert
ffffffff81000180 T rb_erase
ffffffff81000200 d some_data
ffffffff81000300 W weak_fn
'''
# RIPs: two in ls_insert (its first byte, and before rb_erase), one in
# rb_erase, one in weak_fn, one in user space, one below every symbol.
SAMPLES = ['ffffffff81000100', 'ffffffff8100017f', 'ffffffff81000180',
           'ffffffff81000abc', '00007f2a12345678', 'ffffffff80000000', '']


class PcprofileTest(unittest.TestCase):
    def setUp(self):
        self.syms = pcprofile.Symbols(NM)

    def test_names(self):
        c, n = pcprofile.count(self.syms, SAMPLES)
        self.assertEqual(n, 6)
        self.assertEqual(c, {'ls_insert': 2, 'rb_erase': 1, 'weak_fn': 1,
                             pcprofile.USER: 1, '[unknown]': 1})

    def test_past_the_text(self):
        # Past _etext (or _einittext, if later) is not vmlinux's text:
        # without the bound, the last symbol would take module addresses.
        syms = pcprofile.Symbols(NM + 'ffffffff81000400 T _etext\n'
                                 'ffffffff81000500 t late_fn\n')
        self.assertEqual(syms.name(0xffffffff81000300), 'weak_fn')
        self.assertEqual(syms.name(0xffffffff81000500), pcprofile.OTHER)
        self.assertEqual(syms.name(0xffffffffc0001000), pcprofile.OTHER)
        syms = pcprofile.Symbols(NM + 'ffffffff81000400 T _etext\n'
                                 'ffffffff81000500 t init_fn\n'
                                 'ffffffff81000600 T _einittext\n')
        self.assertEqual(syms.name(0xffffffff81000510), 'init_fn')
        self.assertEqual(syms.name(0xffffffff81000600), pcprofile.OTHER)

    def test_report(self):
        c, n = pcprofile.count(self.syms, SAMPLES)
        out = pcprofile.report(c, n, 2)
        self.assertEqual(out[0], '6 samples')
        self.assertEqual(out[1].split(), ['ls_insert', '2', '33.3%'])
        self.assertEqual(len(out), 3)

    def test_diff_scales_to_the_first_total(self):
        a, na = pcprofile.count(self.syms, ['ffffffff81000180'] * 4)
        # Twice the samples: 4 rb_erase and 4 ls_insert, scaled by 4/8.
        b, nb = pcprofile.count(self.syms, ['ffffffff81000180'] * 4 +
                                ['ffffffff81000100'] * 4)
        rows = pcprofile.diff(a, na, b, nb, 5)
        self.assertEqual(rows[0].split(), ['ls_insert', '+2.0', '(0', 'vs', '4)'])
        self.assertEqual(rows[1].split(), ['rb_erase', '-2.0', '(4', 'vs', '4)'])
        self.assertEqual(pcprofile.diff(a, na, b, 0, 5), [])

    def test_monitor_rips(self):
        text = ('CPU#0\r\nRAX=0000000000000000 RBX=ffff888003a8c000\r\n'
                'RIP=ffffffff81000100 RFL=00000246 [---Z-P-] CPL=0\r\n'
                'CPU#1\r\nRIP=00007f2a12345678 RFL=00000202\r\n(qemu) ')
        self.assertEqual(pcprofile.monitor_rips(text),
                         ['ffffffff81000100', '00007f2a12345678'])

    def test_bad_input_is_an_error(self):
        with self.assertRaisesRegex(ValueError, r"line 2: not an address: 'xyz'"):
            pcprofile.count(self.syms, ['ffffffff81000100', 'xyz'])
        with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
            f.write('ffffffff81000100\n')
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc = pcprofile.main(['report', '/nonexistent/vmlinux', f.name])
        os.unlink(f.name)
        self.assertEqual(rc, 1)
        self.assertIn('pcprofile: error:', err.getvalue())


def fake_monitor(path, replies):
    """A thread serving QEMU's monitor at path: the banner, then one reply
    per command from replies, each ending in the prompt; then it closes."""
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        conn.sendall(b'QEMU 8.2 monitor - type help\r\n(qemu) ')
        for r in replies:
            if not conn.recv(4096):
                break
            conn.sendall(r.encode() + b'\r\n(qemu) ')
        conn.close()
        srv.close()

    t = threading.Thread(target=serve)
    t.start()
    return t


class SampleTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.sock = os.path.join(self.dir, 'mon')
        self.out = os.path.join(self.dir, 'samples')

    def sample(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc = pcprofile.main(['sample', self.sock, self.out, '--hz', '1000'])
        return rc, err.getvalue()

    def test_every_vcpu_sampled_until_qemu_goes(self):
        t = fake_monitor(self.sock, ['CPU#0\r\nRIP=ffffffff81000100 RFL=2\r\n'
                                     'CPU#1\r\nRIP=00007f0000001000 RFL=2',
                                     'CPU#0\r\nRIP=ffffffff81000180 RFL=2'])
        rc, err = self.sample()
        t.join()
        self.assertEqual(rc, 0, err)
        with open(self.out) as f:
            self.assertEqual(f.read().split(),
                             ['ffffffff81000100', '00007f0000001000', 'ffffffff81000180'])

    def test_no_sample_is_an_error(self):
        # QEMU gone right after its banner: nothing sampled, and said so.
        t = fake_monitor(self.sock, [])
        rc, err = self.sample()
        t.join()
        self.assertEqual(rc, 1)
        self.assertIn('pcprofile: error: no sample taken', err)


if __name__ == '__main__':
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(stream=sys.stderr, resultclass=Reporter, verbosity=0)
    sys.exit(0 if runner.run(suite).wasSuccessful() else 1)
