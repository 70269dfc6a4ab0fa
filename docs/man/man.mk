# Man pages, one scdoc source each: docs/man/NAME.SECTION.scd -> build/man/NAME.SECTION (drop a
# .scd file here and it is built). `make man` builds them; `make` too (scdoc takes
# milliseconds). The reference tables live in the pages (docs/*.md are the guides around them);
# tests/build/test_man.sh checks them against the parsers.
MAN_SRCS  := $(sort $(wildcard docs/man/*.scd))
MAN_PAGES := $(patsubst docs/man/%.scd,$(BUILD)/man/%,$(MAN_SRCS))
# Reproducible: the footer's date is the release's (dpkg's SOURCE_DATE_EPOCH, else the last
# commit, else VERSION's mtime), never the day of the build.
MAN_DATE  := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell stat -c %Y VERSION))

.PHONY: man
man: $(MAN_PAGES)
all: man

$(BUILD)/man/%: docs/man/%.scd | $(BUILD)/.packages
	@mkdir -p $(dir $@)
	SOURCE_DATE_EPOCH=$(MAN_DATE) scdoc <$< >$@.tmp && mv $@.tmp $@
