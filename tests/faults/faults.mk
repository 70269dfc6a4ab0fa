# make faults: the fault matrix of the Reliability issue, one case per script; prints the
# table (case | outcome | seconds to it) and writes build/bench/faults.txt (tests/faults/faults.sh).
# The quick cases (tests/faults/test_*.sh) also run in make check as the "faults" suite; the
# slow ones (tests/faults/slow_*.sh) only here.
.PHONY: faults
faults: deps
	@$(MAKE) --no-print-directory all build/host/ghostwatch build/host/ghostinit build/storm/ghostinit
	@tests/faults/faults.sh
