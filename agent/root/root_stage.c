/* Root stage: rootspec → mount (NFS or block) → [overlay] → checks → switch_root. Every
 * failure ends in fatal() with the reason in words; every wait is bounded by
 * ghost.root_timeout. */
#include "root/root_stage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/fatal.h"
#include "boot/shell.h"
#include "guardian/boot_link.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "report/boot_report.h"
#include "report/report.h"
#include "root/block_root.h"
#include "root/nfs_mount.h"
#include "root/overlay.h"
#include "root/switch_root.h"

/* A root whose server stopped answering after the mount: the step gave up at its bound. Short,
 * step first: the fatal report carries the first REPORT_TEXT_MAX (64) bytes of it. */
#define STALLED "root: %s: no answer from the server in %u s"

static void breakpoint(const struct boot_config *cfg, unsigned point, const char *name)
{
	if (cfg->rd_break & point)
		(void)shell_run(name);
}

static void nfs_failed(int err, unsigned attempt, uint64_t wait_ms, void *ctx)
{
	const char *source = ctx;
	if (wait_ms)
		log_warn("root: mount %s failed (attempt %u): %s; retrying in %llu ms", source, attempt,
			 nfs_mount_strerror(err), (unsigned long long)wait_ms);
	else
		log_error("root: mount %s failed (attempt %u): %s", source, attempt, nfs_mount_strerror(err));
}

static void mount_nfs(const struct boot_config *cfg, const struct rootspec *spec,
		      const struct rootspec_facts *facts, const char *target, uint64_t deadline, uint64_t start)
{
	static char source[ROOTSPEC_PATH_MAX + 32], options[ROOTSPEC_OPTS_MAX + 128];
	if (rootspec_nfs_source(spec, source, sizeof(source)) ||
	    rootspec_nfs_options(spec, facts ? facts->client_ip : 0, options, sizeof(options)))
		fatal("root: NFS source or options too long (from %s)", spec->source);
	char version[8];
	if (spec->version == 4)
		snprintf(version, sizeof(version), "4.%u", spec->minor);
	else
		snprintf(version, sizeof(version), "%u", spec->version);
	log_info("root: NFSv%s %s (from %s), options %s%s", version, source, spec->source, options,
		 spec->read_only ? ", read-only" : "");
	struct nfs_mount_request req = {
		.source = source,
		.target = target,
		.version = spec->version,
		.options = options,
		.read_only = spec->read_only,
		.deadline = deadline,
	};
	unsigned attempts = 0;
	int err;
	if (spec->version == 4 && (err = nfs_mount_set_unique_id()) && err != -EEXIST)
		log_warn("root: cannot set the NFSv4 client id: %s (nodes without a host name may clash)",
			 strerror(-err));
	err = nfs_mount(&req, nfs_failed, source, &attempts);
	if (err)
		fatal("root: cannot mount %s over NFSv%s: %s (%u attempts in %llu ms, ghost.root_timeout=%u s)",
		      source, version, nfs_mount_strerror(err), attempts,
		      (unsigned long long)(clock_ms() - start), (unsigned)(cfg->root_timeout_ms / 1000));
	log_info("root: mounted %s on %s after %u attempt%s, %llu ms", source, target, attempts,
		 attempts == 1 ? "" : "s", (unsigned long long)(clock_ms() - start));
}

static void mount_block(const struct boot_config *cfg, const struct rootspec *spec, const char *target,
			uint64_t deadline, uint64_t start)
{
	char dev[256], type[32];
	const char *tag = rootspec_tag_name(spec->tag);
	log_info("root: block device %s%s%s, waiting up to %u s", tag, tag[0] ? "=" : "", spec->device,
		 (unsigned)(cfg->root_timeout_ms / 1000));
	int err = block_root_find(spec, deadline, dev, sizeof(dev));
	if (err)
		fatal("root: no device %s%s%s appeared within %llu ms (%s)", tag, tag[0] ? "=" : "", spec->device,
		      (unsigned long long)(clock_ms() - start), strerror(-err));
	err = block_root_mount(dev, spec, target, type, sizeof(type));
	if (err == -EMEDIUMTYPE)
		fatal("root: %s holds no filesystem libblkid recognises (give rootfstype=)", dev);
	if (err)
		fatal("root: cannot mount %s (%s%s%s) as %s: %s", dev, tag, tag[0] ? "=" : "", spec->device, type,
		      strerror(-err));
	log_info("root: mounted %s (%s) on %s%s, %llu ms", dev, type, target, spec->read_only ? " read-only" : "",
		 (unsigned long long)(clock_ms() - start));
}

_Noreturn void root_stage_run(const struct boot_config *cfg, const struct rootspec_facts *facts,
			      const char *hostname)
{
	static struct rootspec spec;
	char err_text[ROOTSPEC_ERR_MAX];
	uint64_t start = clock_ms();
	uint64_t deadline = start + cfg->root_timeout_ms;
	const char *init = cfg->init[0] ? cfg->init : "/sbin/init";
	const char *why;
	bool overlay = cfg->overlay == OVERLAY_TMPFS;

	if (rootspec_parse(cfg, facts, &spec, err_text, sizeof(err_text)) != 0)
		fatal("root: %s", err_text);
	breakpoint(cfg, RD_BREAK_PRE_MOUNT, "rd.break=pre-mount");

	const char *target = ROOT_STAGE_NEWROOT;
	(void)mkdir(ROOT_STAGE_NEWROOT, 0755);
	if (overlay) {
		(void)mkdir(OVERLAY_DIR, 0755);
		(void)mkdir(OVERLAY_LOWER, 0755);
		target = OVERLAY_LOWER;
	}
	if (spec.kind == ROOTSPEC_NFS)
		mount_nfs(cfg, &spec, facts, target, deadline, start);
	else
		mount_block(cfg, &spec, target, deadline, start);
	(void)report_stage(REPORT_STAGE_ROOT_MOUNTED, 0, spec.source);

	if (overlay) {
		int err = overlay_mount(OVERLAY_LOWER, ROOT_STAGE_NEWROOT, cfg->overlay_size, &why);
		if (err == -ETIMEDOUT)
			fatal(STALLED, "overlay mount", OVERLAY_MS / 1000);
		if (err)
			fatal("root: overlay: %s failed: %s", why, strerror(-err));
		err = overlay_node_files(ROOT_STAGE_NEWROOT, hostname);
		if (err == -ETIMEDOUT)
			fatal(STALLED, "per-node files", OVERLAY_MS / 1000);
		if (err)
			log_warn("root: per-node files in the overlay: %s", strerror(-err));
		log_info("root: read-only root under a tmpfs overlay%s%s", cfg->overlay_size[0] ? " of " : "",
			 cfg->overlay_size);
		(void)report_stage(REPORT_STAGE_OVERLAY, 0, "tmpfs");
	}
	breakpoint(cfg, RD_BREAK_MOUNT, "rd.break=mount");

	int err = switch_root_check(ROOT_STAGE_NEWROOT, init, &why);
	if (err == -ETIMEDOUT)
		fatal(STALLED, "init check", SWITCH_ROOT_CHECK_MS / 1000);
	if (err)
		fatal("root: cannot switch to the new root: %s (%s: %s)", why, init, strerror(-err));
	err = switch_root_keep_shutdown(cfg->key[0] == '/' ? cfg->key : NULL);
	if (err)
		log_warn("root: cannot keep ghostinit in %s for shutdown: %s", SWITCH_ROOT_SHUTDOWN_DIR,
			 strerror(-err));
	if (spec.kind == ROOTSPEC_NFS)
		boot_link_protect(ROOT_STAGE_NEWROOT); /* the root now needs the link until the very end */
	breakpoint(cfg, RD_BREAK_PRE_PIVOT, "rd.break=pre-pivot");
	log_info("root: switching to the %s root, exec %s (%llu ms in the root stage)",
		 spec.kind == ROOTSPEC_NFS ? "NFS" : "block", init, (unsigned long long)(clock_ms() - start));
	boot_report_switch_root(cfg, init);
	err = switch_root_exec(ROOT_STAGE_NEWROOT, init, &why);
	if (err == -ETIMEDOUT)
		fatal(STALLED, "switch_root", SWITCH_ROOT_CHECK_MS / 1000);
	fatal("root: switch_root: %s: %s", why, strerror(-err));
}
