# `make bench`: every tests/bench/bench_*.sh, each measuring ghostboot and its anchor in the
# same run (medians and ratios). Figures go to the terminal and build/bench/<name>.txt.
BENCH_SCRIPTS := $(sort $(wildcard tests/bench/bench_*.sh))

bench: deps
	@$(MAKE) --no-print-directory test-build
	@mkdir -p $(BUILD)/bench
	@status=0; for b in $(BENCH_SCRIPTS); do \
		name=$$(basename $$b .sh); echo "== $$name"; \
		$$b 2>&1 | tee $(BUILD)/bench/$$name.txt; \
		[ $${PIPESTATUS[0]} -eq 0 ] || status=1; \
	done; exit $$status
