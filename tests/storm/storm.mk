# `make storm N=256`: N simulated workers (ghostinit's network stage and reporter, each in its
# own namespace) against one dnsmasq and one ghostwatch, klibc's ipconfig as the anchor in the
# same run; figures to the terminal and build/bench/storm.txt (tests/storm/storm.sh); then the
# download phase (below).
# The simulated nodes run $(BUILD)/storm/ghostinit: ghostinit's code built for the host, with
# the report tag from OpenSSL instead of the kernel's AF_ALG (tests/tools/report_hmac_openssl.c),
# which this machine's kernel lacks. Static and -Os like the agent (a dynamic libcrypto costs
# each of N processes ~5 ms more to start); --no-warnings silences glibc's notices that
# libnl/libcrypto's name lookups need NSS at run time: a storm node looks no name up.
N ?= 256
STORM_AGENT := $(BUILD)/storm/ghostinit
STORM_SRCS  := $(filter-out agent/report/report_hmac.c,$(AGENT_SRCS)) tests/tools/report_hmac_openssl.c

$(STORM_AGENT): $(STORM_SRCS) $(AGENT_HDRS) VERSION | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	gcc -std=gnu11 -Os -Wall -Wextra -Iagent -I/usr/include/libnl3 $(VERSION_DEF) -static -ffunction-sections -fdata-sections -Wl,--gc-sections,--no-warnings \
		$(STORM_SRCS) $(HOST_LIBS) -lcrypto -o $@

test-build: $(STORM_AGENT)

# Then the download phase (tests/storm/download.sh): STORM_DOWNLOAD nodes (each count in turn)
# fetch the kernel, the image parts and their key archive over TFTP and over HTTP from the
# generated dnsmasq and lighttpd; figures to build/bench/storm-download.txt.
STORM_DOWNLOAD ?= 64 256

.PHONY: storm
storm: deps
	@$(MAKE) --no-print-directory $(STORM_AGENT) $(BUILD)/ghostwatch all
	@mkdir -p $(BUILD)/bench
	@tests/storm/storm.sh $(N) 2>&1 | tee $(BUILD)/bench/storm.txt; rc=$${PIPESTATUS[0]}; \
		: >$(BUILD)/bench/storm-download.txt; \
		for n in $(STORM_DOWNLOAD); do \
			tests/storm/download.sh $$n 2>&1 | tee -a $(BUILD)/bench/storm-download.txt; [ $${PIPESTATUS[0]} = 0 ] || rc=1; \
		done; exit $$rc
