# ghostinit: main.c is the stage list; each folder under agent/ is one stage (or lib/, what
# every stage shares), one file per job. Objects link in the order of their file names, not
# their folders, so that moving a file between folders leaves the binary byte for byte the same.
AGENT_DIRS := lib boot net root report guardian shutdown
AGENT_ALL  := agent/main.c $(foreach d,$(AGENT_DIRS),$(wildcard agent/$(d)/*.c))
AGENT_SRCS := $(foreach n,$(sort $(notdir $(AGENT_ALL))),$(filter %/$(n),$(AGENT_ALL)))
AGENT_HDRS := $(foreach d,$(AGENT_DIRS),$(wildcard agent/$(d)/*.h))
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

# The version is compiled into main.o only: a new VERSION rebuilds that object.
$(BUILD)/agent/main.o $(HOST)/agent/main.o: VERSION
