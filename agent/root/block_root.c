/* Block roots through libblkid's probe API: every block device is probed for the tag. */
#include "root/block_root.h"

#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "lib/clock.h"
#include "lib/small_file.h"

#define POLL_MS 100

/* The probe value that carries each tag: filesystem tags from the superblock, PART* tags
 * from the partition table entry of the partition being probed. */
static const char *probe_key(enum rootspec_tag tag)
{
	switch (tag) {
	case ROOTSPEC_TAG_UUID: return "UUID";
	case ROOTSPEC_TAG_LABEL: return "LABEL";
	case ROOTSPEC_TAG_PARTUUID: return "PART_ENTRY_UUID";
	case ROOTSPEC_TAG_PARTLABEL: return "PART_ENTRY_NAME";
	default: return NULL;
	}
}

/* Does dev carry the tag? UUIDs compare without case, as the kernel's root=PARTUUID= does. */
static int device_matches(const char *dev, enum rootspec_tag tag, const char *want)
{
	const char *value = NULL;
	int match = 0;
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	if (!pr)
		return 0;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, probe_key(tag), &value, NULL) == 0 && value)
		match = (tag == ROOTSPEC_TAG_LABEL || tag == ROOTSPEC_TAG_PARTLABEL) ? !strcmp(value, want)
										    : !strcasecmp(value, want);
	blkid_free_probe(pr);
	return match;
}

static int has_media(const char *name)
{
	char path[300], size[32];
	snprintf(path, sizeof(path), "/sys/class/block/%s/size", name);
	return small_file_read(path, size, sizeof(size)) > 0 && strtoull(size, NULL, 10) > 0;
}

/* One look over every block device and partition the kernel knows now. The probe API, not
 * blkid's tag cache: no cache file, no /etc/blkid.conf, and ~25 KB less in ghostinit. */
static int find_once(const struct rootspec *spec, char *dev, size_t len)
{
	struct stat st;
	if (spec->tag == ROOTSPEC_TAG_PATH) {
		if (stat(spec->device, &st) != 0 || !S_ISBLK(st.st_mode))
			return -ENOENT;
		snprintf(dev, len, "%s", spec->device);
		return 0;
	}
	DIR *dir = opendir("/sys/class/block");
	if (!dir)
		return -ENOENT;
	int r = -ENOENT;
	struct dirent *e;
	while (r == -ENOENT && (e = readdir(dir))) {
		char path[300];
		if (e->d_name[0] == '.' || !has_media(e->d_name))
			continue; /* empty loop, ram or CD devices: nothing to probe, maybe slow to open */
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		if (stat(path, &st) == 0 && S_ISBLK(st.st_mode) && device_matches(path, spec->tag, spec->device)) {
			snprintf(dev, len, "%s", path);
			r = 0;
		}
	}
	closedir(dir);
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
