# `make install DESTDIR=... PREFIX=...` (default PREFIX /usr/local; Debian's packaging uses
# PREFIX=/usr): the master's commands, the library they run from, the node-image builder, man
# pages, bash completion, systemd units, the kernel hooks and /etc/default/ghostboot. The
# layout is in the README (make install); `make uninstall` removes what this installs.
# Units, hooks and man pages are installed when their sources exist (wildcards): each part of
# the tree brings its own.
PREFIX        ?= /usr/local
SBINDIR       ?= $(PREFIX)/sbin
GB_LIBDIR     ?= $(PREFIX)/lib/ghostboot
MANDIR        ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
EXAMPLEDIR    ?= $(PREFIX)/share/doc/ghostboot/examples
SYSCONFDIR    ?= /etc
UNITDIR       ?= /lib/systemd/system

INSTALL_ADMIN   := $(wildcard netboot/admin/*.sh)
INSTALL_CLUSTER := netboot/cluster/cluster.sh netboot/cluster/generate.sh netboot/cluster/prometheus.sh \
	netboot/cluster/tuning.sh netboot/cluster/mkroot.sh \
	netboot/cluster/debian-base.sh netboot/cluster/mpi_ring.c
INSTALL_UNITS   := $(wildcard netboot/systemd/*.service)
# Slurm's side (docs/operate.md): slurm-sync and the power-saving programs slurm.conf names.
INSTALL_SLURM   := $(filter-out %.sh,$(wildcard netboot/slurm/slurm-*))
INSTALL_HOOKS   := $(wildcard netboot/kernel-hooks/postinst.d/* netboot/kernel-hooks/postrm.d/*)
# Man pages: docs/man/NAME.SECTION.scd, built into build/man/ by docs/man/man.mk's rule.
INSTALL_MAN     := $(if $(wildcard docs/man/man.mk),$(patsubst docs/man/%.scd,$(BUILD)/man/%,$(wildcard docs/man/*.scd)))

.PHONY: install uninstall stage
install: all $(BUILD)/ghostwatch $(BUILD)/busybox/.key $(INSTALL_MAN)
	install -D -m 0755 netboot/admin/ghostboot $(DESTDIR)$(SBINDIR)/ghostboot
	install -D -m 0755 $(BUILD)/ghostwatch $(DESTDIR)$(SBINDIR)/ghostwatch
	install -d $(DESTDIR)$(GB_LIBDIR)/admin $(DESTDIR)$(GB_LIBDIR)/cluster $(DESTDIR)$(GB_LIBDIR)/initramfs
	install -m 0644 $(INSTALL_ADMIN) $(DESTDIR)$(GB_LIBDIR)/admin/
	install -m 0644 $(INSTALL_CLUSTER) $(DESTDIR)$(GB_LIBDIR)/cluster/
	chmod 0755 $(DESTDIR)$(GB_LIBDIR)/cluster/generate.sh $(DESTDIR)$(GB_LIBDIR)/cluster/mkroot.sh \
		$(DESTDIR)$(GB_LIBDIR)/cluster/debian-base.sh
	install -m 0644 netboot/ganesha-conf.sh VERSION $(DESTDIR)$(GB_LIBDIR)/
	install -m 0755 $(BUILD)/ghostinit $(DESTDIR)$(GB_LIBDIR)/ghostinit
	install -m 0755 $(BUILD)/busybox/busybox $(DESTDIR)$(GB_LIBDIR)/busybox
	install -m 0755 initramfs/mkimage.sh $(DESTDIR)$(GB_LIBDIR)/initramfs/
	$(if $(INSTALL_SLURM),install -D -m 0755 -t $(DESTDIR)$(GB_LIBDIR)/slurm $(INSTALL_SLURM) && \
		install -m 0644 netboot/slurm/slurm-power.sh $(DESTDIR)$(GB_LIBDIR)/slurm/)
	install -m 0644 initramfs/modules.default initramfs/busybox-rescue.config $(DESTDIR)$(GB_LIBDIR)/initramfs/
	install -D -m 0644 netboot/admin/cluster.example $(DESTDIR)$(EXAMPLEDIR)/cluster
	$(if $(wildcard netboot/admin/ghostboot.bash-completion),install -D -m 0644 netboot/admin/ghostboot.bash-completion $(DESTDIR)$(COMPLETIONDIR)/ghostboot)
	$(foreach m,$(INSTALL_MAN),install -D -m 0644 $(m) $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true
	$(foreach u,$(INSTALL_UNITS),install -D -m 0644 $(u) $(DESTDIR)$(UNITDIR)/$(notdir $(u)) &&) true
	$(foreach h,$(INSTALL_HOOKS),install -D -m 0755 $(h) $(DESTDIR)$(SYSCONFDIR)/kernel/$(notdir $(patsubst %/,%,$(dir $(h))))/$(notdir $(h)) &&) true
	$(if $(wildcard netboot/systemd/ghostboot.default),install -D -m 0644 netboot/systemd/ghostboot.default $(DESTDIR)$(SYSCONFDIR)/default/ghostboot)

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/ghostboot $(DESTDIR)$(SBINDIR)/ghostwatch $(DESTDIR)$(COMPLETIONDIR)/ghostboot
	rm -rf $(DESTDIR)$(GB_LIBDIR) $(DESTDIR)$(EXAMPLEDIR)
	rm -f $(foreach m,$(INSTALL_MAN),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	rm -f $(foreach u,$(INSTALL_UNITS),$(DESTDIR)$(UNITDIR)/$(notdir $(u)))
	rm -f $(foreach h,$(INSTALL_HOOKS),$(DESTDIR)$(SYSCONFDIR)/kernel/$(notdir $(patsubst %/,%,$(dir $(h))))/$(notdir $(h)))
	rm -f $(DESTDIR)$(SYSCONFDIR)/default/ghostboot

# The installed commands in build/stage (PREFIX=/usr): what `make cluster` runs.
stage:
	@$(MAKE) --no-print-directory -s install DESTDIR=$(CURDIR)/$(BUILD)/stage PREFIX=/usr >/dev/null
