# Test tools: programs that tests and benchmarks run, never part of what `make` builds.
#   ghostwatch-loadgen.c   simulated nodes reporting to a ghostwatch, linked with ghostwatch's
#                          own code (tests/net/test_ghostwatch_*.sh, tests/bench/bench_reports.sh)
#   report_hmac_openssl.c  the report tag through OpenSSL for the storm's nodes (storm.mk)
# Included after netboot/netboot.mk, whose GW_* it uses.

$(BUILD)/tools/ghostwatch-loadgen.o: tests/tools/ghostwatch-loadgen.c $(GW_HDRS) | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	gcc $(GW_CFLAGS) -c $< -o $@

$(BUILD)/ghostwatch-loadgen: $(BUILD)/tools/ghostwatch-loadgen.o $(GW_LIBOBJS)
	gcc $(GW_CFLAGS) $^ $(GW_LIBS) -o $@

test-build: $(BUILD)/ghostwatch-loadgen
