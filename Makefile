# ghostboot — one plain Makefile, no configure step. `make help` lists the targets.
# Each part of the tree brings its own rules in a *.mk file beside its sources.

SHELL      := /bin/bash
BUILD      := build
DEPS       := $(BUILD)/deps
KERNEL     := $(BUILD)/kernel
HOST       := $(BUILD)/host

# The release, one line in VERSION: ghostinit and ghostwatch print it (-V), packages carry it.
GHOSTBOOT_VERSION := $(shell cat VERSION)
VERSION_DEF := -DGHOSTBOOT_VERSION='"$(GHOSTBOOT_VERSION)"'

# The agent: static musl, small (size is a budget, see `make size`).
MUSL_CC     := musl-gcc
AGENT_CFLAGS := -std=gnu11 -Os -Wall -Wextra -Werror=implicit-function-declaration \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-stack-protector -I$(DEPS)/include -I$(DEPS)/include/libnl3 -Iagent $(VERSION_DEF)
# Code and read-only data share one segment: separate-code would pad each to a page (~10 KB).
AGENT_LDFLAGS := -static -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none -s -L$(DEPS)/lib
AGENT_LIBS  := -lnl-route-3 -lnl-3 -lblkid

# Host builds of the same code for tests: clang with ASan/UBSan and fuzzer coverage hooks.
HOST_CC     := clang
SANITIZE    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra $(SANITIZE) -Iagent -I/usr/include/libnl3 $(VERSION_DEF)
HOST_LIBS   := -lnl-route-3 -lnl-3 -lblkid

.PHONY: all deps size check bench fuzz run clean help
all: $(BUILD)/ghostinit $(BUILD)/initramfs.img

help:
	@echo "make            build ghostinit, ghostwatch and the initramfs image"
	@echo "make deps       install/build what is missing (apt packages, musl libnl+libblkid, kernel)"
	@echo "make cluster    a master with Slurm and 3 workers woken by Wake-on-LAN, jobs, HPL, suspend (CLUSTER_ARGS=--once)"
	@echo "make install    the master's commands, library, units, man pages (DESTDIR=, PREFIX=/usr/local)"
	@echo "make run        one worker over NFS in QEMU, then what ghostwatch saw"
	@echo "make check      every test suite; ends with 'N passed, N failed'"
	@echo "make size       sizes against their budgets"
	@echo "make man        the man pages (build/man/) from docs/man/*.scd"
	@echo "make bench      benchmarks with the anchors measured in the same run"
	@echo "make fuzz       run every fuzz target for FUZZ_SECONDS each"
	@echo "make storm      N simulated workers leasing and reporting at once (N=256), klibc ipconfig beside; then downloading their boot files over TFTP and HTTP (64, 256)"
	@echo "make faults     the fault matrix in QEMU: case, outcome, time to it"
	@echo "make soak       SOAK_CYCLES power-offs of a worker writing unsynced data (default 100)"
	@echo "make deb        the Debian packages ghostboot and ghostboot-image in build/deb/"
	@echo "make kernel     a custom worker kernel from kernel-config/ (KERNEL_BASE=debian for a full one)"

# --- dependencies --------------------------------------------------------------------------
# Each script is idempotent and silent when everything is already there.
deps:
	@deps/install-packages.sh
	@deps/build-musl-libs.sh $(DEPS)
	@deps/build-busybox.sh $(BUILD)/busybox
	@deps/fetch-kernel.sh $(KERNEL)

$(BUILD)/.packages: deps/packages.txt deps/install-packages.sh
	@deps/install-packages.sh
	@mkdir -p $(BUILD) && touch $@

$(DEPS)/.key: | $(BUILD)/.packages
	@deps/build-musl-libs.sh $(DEPS)

# The rescue shell's BusyBox; .key is touched so that the image follows a changed config.
$(BUILD)/busybox/.key: deps/build-busybox.sh deps/debian-source.sh initramfs/busybox-rescue.config | $(BUILD)/.packages
	@deps/build-busybox.sh $(BUILD)/busybox && touch $@

$(KERNEL)/.key: | $(BUILD)/.packages
	@deps/fetch-kernel.sh $(KERNEL)

include agent/agent.mk
include initramfs/initramfs.mk
include kernel-config/kernel.mk
-include netboot/netboot.mk
-include netboot/cluster.mk
include docs/man/man.mk
include install.mk
include deb.mk
include tests/tests.mk
include tests/tools/tools.mk
include tests/bench/bench.mk
include tests/storm/storm.mk
include tests/soak/soak.mk
include tests/faults/faults.mk

clean:
	rm -rf $(BUILD)/agent $(HOST) $(BUILD)/ghostinit $(BUILD)/initramfs*.img $(BUILD)/test-logs

run: all
	@netboot/run-worker.sh
