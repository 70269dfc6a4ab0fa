# Test suites. Drop a file in the right folder and it is built and run:
#   tests/unit/test_*.c   cmocka, host build with ASan/UBSan, linked with the agent archive
#                         (and NETBOOT_HOST_LIB, its include root NETBOOT_HOST_CFLAGS, when
#                         netboot/ defines them)
#   tests/fuzz/fuzz_*.c   libFuzzer targets; corpus in tests/fuzz/corpus/<name>/; make check
#                         runs each for FUZZ_SMOKE_SECONDS, make fuzz for FUZZ_SECONDS
#   tests/build/test_*.sh the build itself: size budgets, determinism, module list
#   tests/net/test_*.sh   network-namespace tests with real servers (TAP output)
#   tests/qemu/test_*.sh  the real kernel in QEMU (TAP output)
#   tests/faults/test_*.sh the quick fault cases, also in QEMU (make faults runs them all)
# tests/run.sh runs them and prints one summary line: "N passed, N failed". QEMU and fault
# tests run TEST_JOBS at a time; a script with a line "# heavy: <why>" starts first.

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOST)/tests/%,$(UNIT_SRCS))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(HOST)/fuzz/%,$(FUZZ_SRCS))
NETBOOT_HOST_LIB ?=
NETBOOT_HOST_LIBS ?=
NETBOOT_HOST_CFLAGS ?=
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_SECONDS ?= 300

$(HOST)/tests/%: tests/unit/%.c $(HOST)/libagent.a $(NETBOOT_HOST_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(NETBOOT_HOST_CFLAGS) -Itests/unit $< $(NETBOOT_HOST_LIB) \
		$(HOST)/libagent.a -lcmocka $(NETBOOT_HOST_LIBS) $(HOST_LIBS) -o $@

$(HOST)/fuzz/%: tests/fuzz/%.c $(HOST)/libagent.a $(NETBOOT_HOST_LIB)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(NETBOOT_HOST_CFLAGS) -fsanitize=fuzzer $< $(NETBOOT_HOST_LIB) \
		$(HOST)/libagent.a $(NETBOOT_HOST_LIBS) $(HOST_LIBS) -o $@

.PHONY: test-build
test-build: all $(UNIT_BINS) $(FUZZ_BINS) $(HOST)/ghostinit $(BUILD)/initramfs-custom.img

# SUITES=unit make check, or SUITES="unit qemu", runs a subset.
SUITES ?= build unit fuzz net qemu faults
# The build is one job a core (every rule names what it reads; 99 s instead of 122 s on a
# fresh clone of 2 cores with the kernel's objects cached).
check: deps
	@$(MAKE) --no-print-directory -j$$(nproc) test-build
	@FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) tests/run.sh $(SUITES)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh fuzz
