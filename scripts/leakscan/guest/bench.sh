#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark workloads, run in the guest by /init with lsmode=bench.
# Prints one "name value" line per measurement; the host (bench.sh) takes
# medians and ratios. Kernel command line settings (all optional):
#   lsruns=N            repetitions of every figure (default 3)
#   lspairs=N           allocation pairs per timing (default 20000)
#   lslive="N ..."      live-object counts for the scan timings
#                       (default "10000 100000 1000000")
#   lsbench=irqsoff     instead of all that, the longest stretch with
#                       interrupts off during a scan, on a kernel with the
#                       irqsoff tracer (bench.sh's <engine>-irqsoff builds)
#   lsbench=growth      instead of all that, only what leakscan's growth
#                       table adds to a scan (the last section)
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

# The irqsoff tracer's longest stretch with interrupts off, in us, during
# each of RUNS scans of 10^6 live objects and one 64 MiB leak, which every
# scan checksums. Then where the longest of the last run began and ended.
irqsoff() {
	T=/sys/kernel/tracing
	mount -t tracefs tracefs $T 2>/dev/null
	[ -e $T/tracing_max_latency ] || { echo "bench: no irqsoff tracer in this kernel"; exit 1; }
	modprobe leakscan_bench live=1000000 leak_mb=64 ||
		{ echo "bench: cannot load leakscan_bench with 10^6 objects and the leak"; exit 1; }
	echo scan=off >$K
	echo irqsoff >$T/current_tracer || { echo "bench: cannot select the irqsoff tracer"; exit 1; }
	echo 1 >$T/tracing_on
	# Two scans first, after which the leak is reported.
	echo scan >$K
	echo scan >$K
	for r in $(seq "$RUNS"); do
		echo 0 >$T/tracing_max_latency
		lstime $K scan >/dev/null
		out irqsoff.scan.max_us "$(cat $T/tracing_max_latency)"
	done
	sed -n 's/^# *=> \(started\|ended\) at: */irqsoff: \1 at /p' $T/trace
	echo nop >$T/current_tracer
	rmmod leakscan_bench
}

# What leakscan's growth table adds to a scan: the largest heap again, from
# 512 backtraces, scanned with the table off and on in turn.
growth_cost() {
	G=/sys/module/leakscan/parameters/growth_scans
	top=0
	for n in $LIVE; do top=$n; done
	if [ -e $G ] && [ "$top" -gt 0 ]; then
		modprobe leakscan_bench live="$top" live_sites=512 ||
			{ echo "bench: cannot hold $top objects from 512 backtraces"; exit 1; }
		g0=$(cat $G)
		lstime $K scan >/dev/null
		for r in $(seq "$RUNS"); do
			echo 0 >$G
			out "scan.sites-512.live-$top.growth-off.ns" "$(lstime $K scan)"
			echo "$g0" >$G
			out "scan.sites-512.live-$top.growth-on.ns" "$(lstime $K scan)"
		done
		sed -n 's/^\(growth_[a-z_]*\) \([0-9]*\)$/bench stat.sites-512.\1 \2/p' \
			/sys/kernel/debug/leakscan/stats
		rmmod leakscan_bench
	fi
}

if [ "${lsbench:-}" = growth ]; then
	[ -e $K ] && echo scan=off >$K
	growth_cost
	exit 0
fi

if [ "${lsbench:-}" = irqsoff ]; then
	irqsoff
	exit 0
fi

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

growth_cost
