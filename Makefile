# SPDX-License-Identifier: GPL-2.0
# leakscan: the front door. See README.md.
#
#   make demo    [ENGINE=...]  build, boot, load the sample and show the report
#   make check   [ENGINE=...]  run every test; ends with "N passed, N failed"
#   make kernel  [ENGINE=...]  build into build/<engine>/ (a Kbuild O= directory);
#                              PROFILE=full: the defconfig-sized build/full-<engine>
#   make shell   [ENGINE=...]  boot with an interactive busybox shell
#   make bench                 none vs classic vs leakscan: build/bench/results.md
#   make realcheck [ENGINE=...]  the full profile under stress-ng and trinity,
#                              then suspend and hotplug (make check runs it)
#   make realbench             none vs classic vs leakscan on the full profile
#                              under that workload: build/realbench/results.md
#   make profile [ENGINE=...] [AGAINST=...]  sample the full profile's guest
#                              under that workload: where its time goes; with
#                              AGAINST=none (say), what ENGINE spends beyond it:
#                              build/profile/
#   make stress                the debug build under stress (make check runs it)
#   make series                the patch series, for git am: build/series/
#   make series BASE=6.12      the 6.12 LTS backport of it: build/6.12/series/
#   make series-check          git am it on a fresh base; checkpatch, kernel-doc,
#                              and a build after every patch; then the backport:
#                              git am, host tests, builds and a boot
#                              (make check runs it, building only
#                              ENGINE=leakscan after every patch)
#   make deps | prepare | clean | distclean
#
# ENGINE is leakscan (the default), classic (stock mm/kmemleak.c) or none.
# PROFILE is small (the default: tinyconfig-based, build/<engine>) or full
# (x86_64_defconfig + kvm_guest.config, build/full-<engine>), for kernel,
# initramfs, demo and shell.
# BASE (given on the command line, which exports it) is 7.3, the default:
# mainline, the primary base; or 6.12, the LTS backport. Every target takes
# it, and each base has its own build directory (scripts/leakscan/lib.sh).

ENGINE ?= leakscan
PROFILE ?= small
S := scripts/leakscan
ifeq ($(PROFILE),full)
BUILD := full-$(ENGINE)
else ifeq ($(PROFILE),small)
BUILD := $(ENGINE)
else
$(error PROFILE must be small or full, not '$(PROFILE)')
endif

.PHONY: all deps prepare kernel initramfs demo shell check bench stress realcheck realbench profile \
	series series-check \
	clean distclean help

all: help

help:
	@sed -n 's/^#   /  /p' Makefile

deps:
	@$(S)/deps.sh

prepare: deps
	@$(S)/prepare.sh

kernel: prepare
	@$(S)/kernel.sh $(BUILD)

initramfs: kernel
	@$(S)/initramfs.sh $(BUILD)

demo: initramfs
	@$(S)/demo.sh $(BUILD)

shell: initramfs
	@$(S)/boot.sh $(BUILD) shell

check: prepare
	@$(S)/check.sh $(ENGINE)

bench: prepare
	@$(S)/bench.sh

stress: prepare
	@$(S)/stress.sh

realcheck: prepare
	@$(S)/realcheck.sh $(ENGINE)

realbench: prepare
	@$(S)/realbench.sh

profile: prepare
	@$(S)/profile.sh $(if $(AGAINST),full-$(AGAINST)) full-$(ENGINE)

series: prepare
	@$(S)/series.sh

series-check: prepare
	@$(S)/series-check.sh

# Keep the extracted tree and ccache; drop the engines' build directories.
clean:
	rm -rf build/leakscan build/leakscan-debug build/classic build/none build/*-irqsoff \
		build/full-* build/userland build/realbench build/profile \
		build/w1-* build/nokunit-* build/extmod-* \
		build/hosttests build/accel build/arm64-config \
		build/series build/series-tree build/series-check build/6.12

distclean:
	rm -rf build
