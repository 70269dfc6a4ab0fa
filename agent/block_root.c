/* Block roots through libblkid: tag evaluation over /proc/partitions, no cache file. */
#include "block_root.h"

#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "clock.h"

#define POLL_MS 100

/* One look: a fresh cache each time, because devices appear while we wait and a cache keeps
 * its first view. "/dev/null" as the cache file: nothing is read from or written to disk. */
static int find_once(const struct rootspec *spec, char *dev, size_t len)
{
	struct stat st;
	if (spec->tag == ROOTSPEC_TAG_PATH) {
		if (stat(spec->device, &st) != 0 || !S_ISBLK(st.st_mode))
			return -ENOENT;
		snprintf(dev, len, "%s", spec->device);
		return 0;
	}
	blkid_cache cache = NULL;
	if (blkid_get_cache(&cache, "/dev/null") != 0)
		return -ENOMEM;
	char *found = blkid_evaluate_tag(rootspec_tag_name(spec->tag), spec->device, &cache);
	int r = -ENOENT;
	if (found && stat(found, &st) == 0 && S_ISBLK(st.st_mode)) {
		snprintf(dev, len, "%s", found);
		r = 0;
	}
	free(found);
	blkid_put_cache(cache);
	return r;
}

int block_root_find(const struct rootspec *spec, uint64_t deadline, char *dev, size_t len)
{
	for (;;) {
		int r = find_once(spec, dev, len);
		if (r != -ENOENT || deadline_passed(deadline))
			return r;
		uint64_t left = deadline_left(deadline);
		sleep_ms(left < POLL_MS ? left : POLL_MS);
	}
}

static int probe_type(const char *dev, char *type, size_t len)
{
	const char *value = NULL;
	int r = -ENOENT;
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	if (!pr)
		return -errno ? -errno : -EIO;
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "TYPE", &value, NULL) == 0 && value) {
		snprintf(type, len, "%s", value);
		r = 0;
	}
	blkid_free_probe(pr);
	return r;
}

int block_root_mount(const char *dev, const struct rootspec *spec, const char *target, char *type, size_t len)
{
	if (spec->fstype[0]) {
		snprintf(type, len, "%s", spec->fstype);
	} else {
		int r = probe_type(dev, type, len);
		if (r) {
			snprintf(type, len, "unknown");
			return -EMEDIUMTYPE;
		}
	}
	unsigned long flags = spec->read_only ? MS_RDONLY : 0;
	if (mount(dev, target, type, flags, spec->block_opts[0] ? spec->block_opts : NULL) != 0)
		return -errno;
	return 0;
}
