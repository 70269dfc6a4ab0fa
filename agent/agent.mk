# ghostinit: every agent/*.c is one stage or one job; main.c is the stage list.
AGENT_SRCS := $(sort $(wildcard agent/*.c))
AGENT_HDRS := $(wildcard agent/*.h)
AGENT_OBJS := $(patsubst agent/%.c,$(BUILD)/agent/%.o,$(AGENT_SRCS))

$(BUILD)/agent/%.o: agent/%.c $(AGENT_HDRS) | $(DEPS)/.key
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(AGENT_CFLAGS) -c $< -o $@

$(BUILD)/ghostinit: $(AGENT_OBJS) $(DEPS)/.key
	$(MUSL_CC) $(AGENT_CFLAGS) $(AGENT_LDFLAGS) $(AGENT_OBJS) $(AGENT_LIBS) -o $@

# The same code for the host (glibc, ASan/UBSan, fuzzer coverage): unit tests and fuzz targets
# link the archive and take only the objects they call; ghostinit-host runs stages as a normal
# process in test namespaces.
HOST_AGENT_OBJS := $(patsubst agent/%.c,$(HOST)/agent/%.o,$(AGENT_SRCS))

$(HOST)/agent/%.o: agent/%.c $(AGENT_HDRS) | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(HOST)/libagent.a: $(filter-out $(HOST)/agent/main.o,$(HOST_AGENT_OBJS))
	@rm -f $@
	ar rcs $@ $^

$(HOST)/ghostinit: $(HOST_AGENT_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@
