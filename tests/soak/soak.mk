# make soak: SOAK_CYCLES power-off cycles of a worker writing without fsync (tests/soak/soak.sh);
# figures in build/bench/soak.txt. Its 4-cycle version runs in make check (test_shutdown).
SOAK_CYCLES ?= 100
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory build/ghostinit
	@SOAK_CYCLES=$(SOAK_CYCLES) tests/soak/soak.sh
