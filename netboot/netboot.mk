# The master side: ghostwatch (report collector and status tool), built with the host's gcc
# and OpenSSL's libcrypto for the HMAC (its load generator is a test tool: tests/tools/).
# The report codec is agent/report/report_wire.c with the agent's hex helper, the same files
# ghostinit uses.
# Unit tests link the ghostwatch code through NETBOOT_HOST_LIB (sanitizer build), and the
# network tests run build/host/ghostwatch (ASan/UBSan) so that bad input is also a memory test.
# netboot/ghostwatch/: main.c is the command table (one run_X per subcommand), cli.c the option
# walker; one folder per job, and includes name the folder ("state/nodes.h", one -I root):
#   util/   the host list syntax (and `hostlist`, its subcommand), JSON strings: a leaf, it
#           includes only util/ and agent's lib/
#   keys/   the cluster key, per-node keys (HKDF) and the HMAC tags made with them
#   state/  the node table, its snapshot and log on disk, the insecure marker, the cluster's
#           node list, node selection by name and state
#   serve/  `serve`: the receive loop, the checks a datagram passes, the rate limit, the
#           metrics file; `forget`, a request that serve carries out
#   web/    serve's web port: the request parser, the server, its routes, the status page,
#           the per-node /metrics series
#   view/   the state for people and scripts: `status`, `timeline`, `wait`
#   jobs/   the state for job tools: `hostfile` (MPI), `slurm-nodes`, `hpl-dat`
#   power/  `power` (IPMI, ssh) and `wake` (Wake-on-LAN)
# Its folders must not share a name with one of agent/'s: -Iagent comes first.
GW_DIR     := netboot/ghostwatch
GW_SRCS    := $(sort $(wildcard $(GW_DIR)/*.c $(GW_DIR)/*/*.c))
GW_AGENT   := agent/report/report_wire agent/lib/hex agent/lib/hostname
GW_HDRS    := $(wildcard $(GW_DIR)/*.h $(GW_DIR)/*/*.h) $(addsuffix .h,$(GW_AGENT)) agent/lib/be.h
GW_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Iagent -I$(GW_DIR) $(VERSION_DEF)
GW_LIBS    := -lcrypto
GW_OBJS    := $(patsubst $(GW_DIR)/%.c,$(BUILD)/gw/%.o,$(GW_SRCS)) $(patsubst agent/%,$(BUILD)/gw/agent/%.o,$(GW_AGENT))
GW_LIBOBJS := $(filter-out $(BUILD)/gw/main.o,$(GW_OBJS))

all: $(BUILD)/ghostwatch

$(BUILD)/gw/%.o: $(GW_DIR)/%.c $(GW_HDRS) | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	gcc $(GW_CFLAGS) -c $< -o $@

$(BUILD)/gw/agent/%.o: agent/%.c $(GW_HDRS) | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	gcc $(GW_CFLAGS) -c $< -o $@

$(BUILD)/ghostwatch: $(GW_OBJS)
	gcc $(GW_CFLAGS) $^ $(GW_LIBS) -o $@

# Sanitizer builds for tests (report_wire comes from libagent.a).
HOST_GW_OBJS := $(patsubst $(GW_DIR)/%.c,$(HOST)/gw/%.o,$(GW_SRCS))

$(HOST)/gw/%.o: $(GW_DIR)/%.c $(GW_HDRS) | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -I$(GW_DIR) -fsanitize=fuzzer-no-link -c $< -o $@

$(HOST)/libghostwatch.a: $(filter-out $(HOST)/gw/main.o,$(HOST_GW_OBJS))
	@rm -f $@
	ar rcs $@ $^

$(HOST)/ghostwatch: $(HOST)/gw/main.o $(HOST)/libghostwatch.a $(HOST)/libagent.a
	$(HOST_CC) $(HOST_CFLAGS) $^ $(GW_LIBS) -o $@

NETBOOT_HOST_LIB := $(HOST)/libghostwatch.a
NETBOOT_HOST_LIBS := $(GW_LIBS)
NETBOOT_HOST_CFLAGS := -I$(GW_DIR)

# The version is compiled into main.o only: a new VERSION rebuilds that object.
$(BUILD)/gw/main.o $(HOST)/gw/main.o: VERSION

test-build: $(HOST)/ghostwatch
