# make deb: the Debian packages ghostboot and ghostboot-image from debian/ (debhelper), into
# build/deb/. dpkg-buildpackage runs debian/rules, which runs `make` and `make install`; the
# build needs no network once `make deps` filled its caches, and never builds the custom kernel.
# The packages are rebuilt only when a source changed (the stamp depends on every packaged file).
DEB_DIR     := $(BUILD)/deb
DEB_VERSION := $(shell cat VERSION 2>/dev/null)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_SOURCES := $(shell find VERSION Makefile *.mk agent netboot initramfs docs deps -type f 2>/dev/null) \
	$(shell git ls-files debian 2>/dev/null || find debian -maxdepth 1 -type f)

.PHONY: deb
deb: $(DEB_DIR)/.stamp

$(DEB_DIR)/.stamp: $(DEB_SOURCES)
	@$(MAKE) --no-print-directory deps
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)
	GHOSTBOOT_DEB_DIR=$(CURDIR)/$(DEB_DIR) dpkg-buildpackage -b -us -uc \
		--buildinfo-option=-u$(DEB_DIR) --changes-option=-u$(DEB_DIR) \
		--buildinfo-file=$(DEB_DIR)/ghostboot_$(DEB_VERSION)_$(DEB_ARCH).buildinfo \
		--changes-file=$(DEB_DIR)/ghostboot_$(DEB_VERSION)_$(DEB_ARCH).changes \
		>$(DEB_DIR)/build.log 2>&1 || { tail -40 $(DEB_DIR)/build.log; exit 1; }
	@ls $(DEB_DIR)/*.deb
	@touch $@

# install.mk installs the units (*.service), hooks and defaults; the path units that start the
# services once a cluster is applied are installed here, beside them.
.PHONY: install-path-units
install: install-path-units
install-path-units:
	install -d $(DESTDIR)$(UNITDIR)
	install -m 0644 $(wildcard netboot/systemd/*.path) $(DESTDIR)$(UNITDIR)/
.PHONY: uninstall-path-units
uninstall: uninstall-path-units
uninstall-path-units:
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(wildcard netboot/systemd/*.path)))
