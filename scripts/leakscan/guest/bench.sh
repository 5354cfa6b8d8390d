#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark workloads, run in the guest by /init with lsmode=bench.
# Prints one "name value" line per measurement; the host (bench.sh) takes
# medians and ratios. Kernel command line settings (all optional):
#   lsruns=N            repetitions of every figure (default 3)
#   lspairs=N           allocation pairs per timing (default 20000)
#   lslive="N ..."      live-object counts for the scan timings
#                       (default "10000 100000 1000000")
K=/sys/kernel/debug/kmemleak
B=/sys/kernel/debug/leakscan_bench
RUNS=${lsruns:-3}
PAIRS=${lspairs:-20000}
LIVE=${lslive:-10000 100000 1000000}

# A bench value: $1 name, $2 value.
out() {
	echo "bench $1 $2"
}

# The ns/op of the last command of the bench module.
run() {
	echo "$1" >$B || return 1
	cut -d' ' -f4 $B
}

meminfo_kb() {
	sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo
}

# Time to /init, from the kernel's own log.
out boot.init_s "$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' | head -n 1)"

modprobe leakscan_bench || { echo "bench: cannot load leakscan_bench"; exit 1; }
# No periodic scan while timing.
[ -e $K ] && echo scan=off >$K
for r in $(seq "$RUNS"); do
	for size in 32 256 4096; do
		out "pair.kmalloc-$size.ns" "$(run "kmalloc $size $PAIRS")"
	done
	out pair.cache-128.ns "$(run "cache $PAIRS")"
	out pair.vmalloc-4096.ns "$(run "vmalloc $((PAIRS / 10))")"
	out unwind-16.ns "$(run "unwind $PAIRS")"
	run "storm $PAIRS" >/dev/null
	set -- $(cat $B)
	out storm.pairs_per_s "$(($2 * 1000000000 / $3))"
done
rmmod leakscan_bench

for n in 0 $LIVE; do
	for r in $(seq "$RUNS"); do
		# Settle the allocator and the detector before measuring.
		[ -e $K ] && echo scan >$K
		sync
		echo 3 >/proc/sys/vm/drop_caches
		slab0=$(meminfo_kb Slab)
		pcpu0=$(meminfo_kb Percpu)
		modprobe leakscan_bench live="$n" || { echo "bench: cannot hold $n objects"; exit 1; }
		slab1=$(meminfo_kb Slab)
		pcpu1=$(meminfo_kb Percpu)
		out "meta.live-$n.kb" "$((slab1 + pcpu1 - slab0 - pcpu0))"
		if [ -e $K ] && [ "$r" = 1 ]; then
			# The first scan after the load sees every object new.
			lstime $K scan >/dev/null
			for t in $(seq "$RUNS"); do
				out "scan.live-$n.ns" "$(lstime $K scan)"
			done
			# leakscan says where a scan's time goes.
			S=/sys/kernel/debug/leakscan/stats
			[ -e $S ] && sed -n "s/^\(last_scan_[a-z_]*\) \([0-9]*\)$/bench stat.live-$n.\1 \2/p" $S
		fi
		rmmod leakscan_bench
	done
done
