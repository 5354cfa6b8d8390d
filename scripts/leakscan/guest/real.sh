#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The full profile's real workload (lsmode=real), the same for every
# engine. The userland image (scripts/leakscan/userland.sh) is on
# virtio-blk: /dev/vda, mounted at /real.
#   1. stress-ng, one class at a time (REAL_CLASSES), each stressor for 1 s
#      in turn, each class within REAL_CLASS_SECS (100);
#   2. trinity for TRINITY_OPS (20000) syscalls, seeded with TRINITY_SEED
#      (1), without the reboot, kexec, module, swap, umount, syslog and
#      perf_event_open syscalls, nor perf fds: as nobody, then as root,
#      each stopped after TRINITY_SECS (600) if it has not finished;
#   3. every in-tree module of the kernel (or REAL_MODULES) loaded, used
#      where there is something to use, and unloaded, REAL_ROUNDS (3)
#      times, and namespaces made and dropped;
#   4. syzkaller's leak check: wait, scan, scan, read; then REAL_SCANS (3)
#      timed scans, and one under the irqsoff tracer.
# With a leak detector, a scan follows each stress-ng class. With
# leakscan, six scans a second apart come first, and leakscan/growth is
# read before the workload, after stress-ng and at the end.
# Each line of its own starts "real: "; the report goes to /tmp/report and
# the figures to /tmp/figures ("key value" lines) for the host's
# realcheck.sh. Parameters come from the kernel command line.
KMEMLEAK=/sys/kernel/debug/kmemleak
CLASSES=${REAL_CLASSES:-filesystem pipe scheduler vm memory network os}
CLASSES=$(echo "$CLASSES" | tr , ' ')
CLASS_SECS=${REAL_CLASS_SECS:-100}
TRINITY_OPS=${TRINITY_OPS:-20000}
# A fixed seed: the same syscalls, in the same order, for every engine and
# every run (scheduling still varies).
TRINITY_SEED=${TRINITY_SEED:-1}
# Each trinity run stops after this many seconds if it has not finished.
TRINITY_SECS=${TRINITY_SECS:-600}
case $TRINITY_SECS in
'' | *[!0-9]*)
	echo "real: error: TRINITY_SECS=$TRINITY_SECS is not a number of seconds: 600 it is"
	TRINITY_SECS=600 ;;
esac
ROUNDS=${REAL_ROUNDS:-3}
FIG=/tmp/figures

say() { echo "real: $*"; }
figure() { echo "$1 $2" >>$FIG; }
now() { cut -d' ' -f1 /proc/uptime; }
# Seconds since $1 (an uptime), to the hundredth.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# Kill every process whose name starts with $1: stress-ng's and trinity's
# workers rename themselves (stress-ng-<stressor>, trinity-c0), and
# busybox has no pkill.
# Print "pid comm" for every process whose name starts with $1.
named() {
	local p comm
	for p in /proc/[0-9]*; do
		read -r comm 2>/dev/null <"$p/comm" || continue
		case $comm in
		"$1"*) echo "${p#/proc/} $comm" ;;
		esac
	done
}

kill_named() {
	local pid comm
	named "$1" | while read -r pid comm; do
		kill -9 "$pid" 2>/dev/null
	done
}

# Print what every process whose name starts with $1 is doing: its state,
# the kernel function it sleeps in, its syscall and its kernel stack; the
# stacks go to /tmp/stacks-$1 as well.
dump_named() {
	local pid comm p
	: >"/tmp/stacks-$1"
	named "$1" | while read -r pid comm; do
		p=/proc/$pid
		say "  $pid $comm: $(sed -n 's/^State:[[:space:]]*//p' "$p/status" 2>/dev/null)," \
			"in $(cat "$p/wchan" 2>/dev/null), syscall $(cut -d' ' -f1 "$p/syscall" 2>/dev/null)"
		head -n 8 "$p/stack" 2>/dev/null | tee -a "/tmp/stacks-$1" | sed 's/^/real:     /'
	done
}

# Run "$@" (in the background, its output into file $3) for at most $1
# seconds; its processes are named $2*. At the limit, print what they are
# doing, kill them, set STALLED=1 and give 124, as timeout(1) does; else
# set STALLED=0 and give the command's status. A process that a kill
# cannot end (blocked in the kernel) is left after 10 s, not waited for.
bounded() {
	local secs=$1 name=$2 log=$3 pid t=0
	shift 3
	STALLED=0
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$t" -ge "$secs" ]; then
			STALLED=1
			say "$name: still running after $secs s: its processes:"
			dump_named "$name"
			t=0
			while kill_named "$name"; kill -9 "$pid" 2>/dev/null; do
				[ "$t" -lt 10 ] || { say "$name: $pid does not die"; return 124; }
				sleep 1
				t=$((t + 1))
			done
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 1
		t=$((t + 1))
	done
	wait "$pid" 2>/dev/null
}

# The detector's metadata: the slab cache of its objects, whichever engine.
metadata() {
	awk '$1 == "ls_object" || $1 == "kmemleak_object" {
		printf "%s %s %s\n", $1, $2, $4 }' /proc/slabinfo
}

setup() {
	: >$FIG
	mkdir -p /real
	if ! mount -t ext4 /dev/vda /real; then
		say "error: no userland image on /dev/vda"
		return 1
	fi
	# The loader and libraries, where the binaries look for them.
	ln -s /real/lib64 /lib64
	ln -s /real/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu
	echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh" >>/etc/passwd
	echo "nogroup:x:65534:" >>/etc/group
	ip link set lo up
	export PATH=$PATH:/real/usr/bin
	figure boot_s "$(now)"
	metadata | while read -r cache n size; do
		figure tracked_after_boot "$n"
		figure metadata_object_bytes "$size"
		say "after boot: $n objects in $cache, $size bytes each"
	done
}

stress() {
	local c t0 rc sum n
	for c in $CLASSES; do
		t0=$(now)
		# Not -q: it leaves the metrics out of the YAML file.
		timeout "$CLASS_SECS" stress-ng --class "$c" --sequential 1 --timeout 1 \
			--temp-path /real/tmp --metrics-brief --yaml "/tmp/sng-$c.yaml" \
			>"/tmp/sng-$c.log" 2>&1
		rc=$?
		kill_named stress-ng
		sum=$(awk '/bogo-ops-per-second-real-time:/ { s += $2 } END { printf "%.1f", s }' \
			"/tmp/sng-$c.yaml" 2>/dev/null)
		n=$(grep -c '^ *- stressor:' "/tmp/sng-$c.yaml" 2>/dev/null)
		say "stress-ng --class $c: ${n:-0} stressors, ${sum:-0} bogo-ops/s, exit $rc, $(since "$t0") s"
		# Exit 2 and 3 name stressors that failed or could not run here,
		# 124 and 143 the class's time limit; anything else, or no
		# stressor run at all, means the workload did not run.
		[ $rc = 0 ] || grep -E ' (fail|error): ' "/tmp/sng-$c.log" | head -n 5 |
			sed 's/^/real:   /'
		case $rc in
		0 | 2 | 3 | 124 | 143) ;;
		*) say "error: stress-ng --class $c exited $rc" ;;
		esac
		[ "${n:-0}" -gt 0 ] || say "error: stress-ng --class $c ran no stressor"

		figure "bogo_ops_per_s_$c" "${sum:-0}"
		# And each stressor's own, to tell which ones an engine slows.
		awk -v c="$c" '/^ *- stressor:/ { s = $3 }
			/bogo-ops-per-second-real-time:/ { print "stressor_" c "_" s, $2 }' \
			"/tmp/sng-$c.yaml" >>$FIG 2>/dev/null
		# A scan after each class, on either engine, so that leakscan's
		# growth table sees the workload step by step.
		[ -e $KMEMLEAK ] && echo scan >$KMEMLEAK
	done
}

# leakscan's growing sites (leakscan/growth), at the point $1: how many,
# the file's last line, and the first five records.
growth() {
	local g=/sys/kernel/debug/leakscan/growth
	[ -r $g ] || return 0
	cat $g >"/tmp/growth-$1"
	figure "growth_sites_$1" "$(grep -c '^growing: ' "/tmp/growth-$1")"
	say "growth, $1: $(tail -n 1 "/tmp/growth-$1")"
	awk '/^growing: /{ k++ } k && k <= 5' "/tmp/growth-$1" |
		while IFS= read -r l; do say "  $l"; done
}

# leakscan only: scans a second apart after boot, so that the growth
# table has a window of an idle system before the workload.
idle_growth() {
	local i
	[ -r /sys/kernel/debug/leakscan/growth ] || return 0
	for i in 1 2 3 4 5 6; do
		echo scan >$KMEMLEAK
		sleep 1
	done
	growth idle
}

# Syscalls no run may make: they would reboot, replace or strip the guest,
# or take away the filesystems the harness stands on. perf_event_open
# too: trinity as root turned on a scheduler tracepoint through it, and
# the guest died patching the static call ("Oops: int3" in
# enqueue_task_fair, under TCG). For the same reason neither run opens
# its pool of perf fds (--disable-fds=perf): as nobody, that pool turned
# the context-switch software event's static key on and off, and the
# guest died of an int3 in __schedule at that key's jump site (CI, stop
# 21): the kernel's own text patching, not an engine's. syslog: it could
# turn the console, and so the splat check, off.
TRINITY_EXCLUDE="reboot kexec_load kexec_file_load init_module finit_module
	delete_module swapon swapoff umount oldumount perf_event_open syslog"
# The fd pools no run fills (--disable-fds): sockets (below) and perf.
TRINITY_NO_FDS="sockets,perf"

trinity_run() {
	local who=$1 dir=/real/tmp/trinity-$1 t0 rc x= s printk
	mkdir -p "$dir"
	# trinity crashes (SIGSEGV as nobody, SIGBUS as root with seed 1)
	# while it fills its pool of sockets; without the pool it still
	# makes socket syscalls. Both runs leave out TRINITY_NO_FDS.
	for s in $TRINITY_EXCLUDE; do
		x="$x -x $s"
	done
	t0=$(now)
	if [ "$who" = nobody ]; then
		# --dropprivs is no answer for an unprivileged run: its
		# children ran as root.
		chown nobody:nogroup "$dir"
		bounded "$TRINITY_SECS" trinity "/tmp/trinity-$who.log" \
			sh -c "cd '$dir' && exec su -s /bin/sh nobody -c \
			'trinity -q -l off -C 2 -s $TRINITY_SEED -N $TRINITY_OPS \
			--disable-fds=$TRINITY_NO_FDS $x'"
		rc=$?
	else
		# trinity writes to files under /sys and /proc as root: keep
		# it from the leak detector's file and from suspending the
		# guest while it runs.
		# The console log level too: the splat check reads the console.
		printk=$(cat /proc/sys/kernel/printk)
		# A walk into debugfs's tracing/ mounts tracefs there.
		umount /sys/kernel/debug/tracing 2>/dev/null
		if ! umount /sys/kernel/debug; then
			say "error: debugfs stays mounted: trinity as root not run"
			return
		fi
		if ! mount --bind /dev/null /sys/power/state; then
			say "error: cannot cover /sys/power/state: trinity as root not run"
			mount -t debugfs debugfs /sys/kernel/debug
			return
		fi
		bounded "$TRINITY_SECS" trinity "/tmp/trinity-$who.log" \
			sh -c "cd '$dir' && exec trinity --dangerous -q -l off -C 2 \
			-s $TRINITY_SEED -N $TRINITY_OPS --disable-fds=$TRINITY_NO_FDS $x"
		rc=$?
		kill_named trinity
		echo "$printk" >/proc/sys/kernel/printk
		umount /sys/power/state || say "error: /sys/power/state stays covered"
		mount -t debugfs debugfs /sys/kernel/debug ||
			say "error: debugfs not mounted again"
	fi
	kill_named trinity
	say "trinity as $who: $TRINITY_OPS syscalls asked, exit $rc, $(since "$t0") s"
	if [ "$STALLED" = 1 ]; then
		# trinity itself can stall: once (a make check on 2026-12-05),
		# as root, its children died of a divide error in trinity one
		# after another for ten minutes. A stall is a finding about the
		# kernel when a process waits in the detector; a task in
		# uninterruptible sleep past the hung-task timeout is a splat.
		if grep -qE '\] (ls_|leakscan|kmemleak)' "/tmp/stacks-trinity"; then
			say "error: trinity as $who stopped at its limit of $TRINITY_SECS s," \
				"waiting in the leak detector"
		else
			say "trinity as $who: stopped at its limit of $TRINITY_SECS s," \
				"none of its processes in the leak detector (see above)"
		fi
	elif [ $rc != 0 ]; then
		tail -n 5 "/tmp/trinity-$who.log" | sed 's/^/real:   /'
		say "error: trinity as $who exited $rc"
	fi
}

# Use what a module makes, where there is something to use.
use_module() {
	case $1 in
	dummy) ip link add lsd0 type dummy && ip link set lsd0 up && ip link del lsd0 ;;
	veth) ip link add lsv0 type veth peer name lsv1 && ip link set lsv0 up &&
		ip link del lsv0 ;;
	macvlan) ip link add lsd1 type dummy && ip link add link lsd1 lsm0 type macvlan &&
		ip link del lsm0 && ip link del lsd1 ;;
	netdevsim) echo "1 1" >/sys/bus/netdevsim/new_device &&
		echo 1 >/sys/bus/netdevsim/del_device ;;
	null_blk) dd if=/dev/nullb0 of=/dev/null bs=64k count=16 2>/dev/null ;;
	zram) echo 16M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		echo 1 >/sys/block/zram0/reset ;;
	*) true ;;
	esac
}

# The in-tree modules of this kernel, but for the leak samples.
intree_modules() {
	sed 's/:.*//; s,.*/,,; s/\.ko.*$//' "/lib/modules/$(uname -r)/modules.dep" |
		grep -vE '^(kmemleak-test|leakscan_sample|leakscan_bench)$' | sort
}

# Unload every module loaded since $1 (a copy of /proc/modules), users
# first: rmmod what nothing uses until nothing is left or nothing moves.
unload_since() {
	local pass m left
	for pass in 1 2 3 4 5; do
		left=0
		for m in $(awk '{ print $1 }' /proc/modules); do
			grep -q "^$m " "$1" && continue
			rmmod "$m" 2>/dev/null || left=$((left + 1))
		done
		[ $left = 0 ] && return 0
	done
	say "error: modules left loaded: $(awk '{ print $1 }' /proc/modules | tr '\n' ' ')"
	return 1
}

churn() {
	local r m bad=0 t0 all loaded failed
	t0=$(now)
	all=$(intree_modules)
	[ -n "${REAL_MODULES:-}" ] && all=$(echo "$REAL_MODULES" | tr , ' ')
	cp /proc/modules /tmp/modules.before
	for r in $(seq "$ROUNDS"); do
		loaded=0
		failed=
		for m in $all; do
			if ! modprobe "$m" 2>/dev/null; then
				failed="$failed $m"
				continue
			fi
			loaded=$((loaded + 1))
			use_module "$m" || { say "error: using $m failed"; bad=$((bad + 1)); }
		done
		unload_since /tmp/modules.before || bad=$((bad + 1))
		# Namespaces, each with a process in it: network, mount, UTS,
		# IPC and PID ones, then a user namespace with root mapped.
		if ! { unshare -n -m -u -i -p -f sh -c 'ip link set lo up && hostname ns' &&
			unshare -U -r sh -c '[ "$(id -u)" = 0 ]'; } >/tmp/unshare.log 2>&1; then
			say "error: unshare failed: $(cat /tmp/unshare.log)"
			bad=$((bad + 1))
		fi
	done
	say "modules: $ROUNDS rounds, $loaded of $(echo $all | wc -w) in-tree modules loaded," \
		"used and unloaded (not loadable here:${failed:- none}), $bad errors, $(since "$t0") s"
	figure module_errors $bad
}

# syzkaller's check: wait past the minimum age, scan, scan again, read.
# Then REAL_SCANS (3) more scans, timed, of the heap the workload left, and
# one more with the irqsoff tracer on, for the longest stretch with
# interrupts off while a scan runs.
leak_check() {
	local i t lat
	sleep 5
	echo scan >$KMEMLEAK
	sleep 5
	echo scan >$KMEMLEAK
	cat $KMEMLEAK >/tmp/report
	say "leak check: $(grep -c '^unreferenced object' /tmp/report) records"
	metadata | while read -r cache n size; do
		figure tracked_after_workload "$n"
	done
	figure slab_kb "$(awk '$1 == "Slab:" { print $2 }' /proc/meminfo)"
	# What the heap holds: every engine tracks each live slab object, so
	# the caches with the most objects say why the counts differ.
	say "largest caches after the workload (active objects, object size):"
	awk 'NR > 2 { print $2, $4, $1 }' /proc/slabinfo | sort -rn | head -n 12 |
		while read -r n size name; do say "  $n $size $name"; done
	# Live slab objects against the slots their slabs hold, but for the
	# engines' own caches: what metadata kept per slab slot would cost.
	awk 'NR > 2 && $1 != "ls_object" && $1 != "kmemleak_object" {
		a += $2; t += $3 } END { print "slab_objects_live", a; print "slab_objects_slots", t }' \
		/proc/slabinfo >>$FIG
	for i in $(seq "${REAL_SCANS:-3}"); do
		t=$(lstime $KMEMLEAK scan) && figure scan_ns "$t"
	done
	# leakscan's own count, and where its last scan's time went.
	if [ -r /sys/kernel/debug/leakscan/stats ]; then
		grep -E '^(objects|bytes|scan_areas|trace_cache_[a-z]*|young_objects_freed|metadata_reused|overlapping_objects_replaced|unknown_object_calls|last_scan[a-z_]*|growth_[a-z_]*) ' \
			/sys/kernel/debug/leakscan/stats | while read -r k v; do say "  stats $k $v"; done
	fi
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	T=/sys/kernel/tracing
	if [ -e $T/tracing_max_latency ] && echo irqsoff >$T/current_tracer; then
		echo 0 >$T/tracing_max_latency
		echo scan >$KMEMLEAK
		lat=$(cat $T/tracing_max_latency)
		# Where that stretch began and ended, before the trace is reset.
		grep -E '=> (started|ended) at' $T/trace 2>/dev/null | sed 's/^# *//' |
			while read -r l; do say "  irqsoff: $l"; done
		echo nop >$T/current_tracer
		figure irqsoff_us "$lat"
		say "longest stretch with interrupts off during a scan: $lat us"
	fi
}

t_all=$(now)
if setup; then
	idle_growth
	stress
	growth stress
	trinity_run nobody
	trinity_run root
	churn
	[ -e $KMEMLEAK ] && leak_check
	growth end
	figure workload_s "$(since "$t_all")"
fi
