/* The key's sources and its kept copy (see report_key.h). The kept copy is written with
 * O_EXCL on a fresh temporary name and fchmod 0600 before any byte: no moment where the
 * umask could leave it readable. */
#include "report/report_key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/small_file.h"
#include "report/report.h"

int report_key_for_boot(const struct boot_config *cfg, uint8_t key[REPORT_KEY_MAX])
{
	if (cfg->key[0])
		return report_load_key(cfg->key, key);
	int len = report_load_key(REPORT_KEY_IMAGE, key);
	return len == -ENOENT ? 0 : len;
}

int report_key_keep_at(int dirfd, const char *name, const uint8_t *key, int len)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[64], text[2 * REPORT_KEY_MAX + 1];
	if (len <= 0 || len > REPORT_KEY_MAX || snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= (int)sizeof(tmp))
		return -EINVAL;
	for (int i = 0; i < len; i++) {
		text[2 * i] = digits[key[i] >> 4];
		text[2 * i + 1] = digits[key[i] & 15];
	}
	text[2 * len] = '\n';
	(void)unlinkat(dirfd, tmp, 0);
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int err = 0;
	size_t n = (size_t)(2 * len + 1);
	if (fchmod(fd, 0600) < 0 || write(fd, text, n) != (ssize_t)n)
		err = errno ? -errno : -EIO;
	close(fd);
	memset(text, 0, sizeof(text));
	if (!err && renameat(dirfd, tmp, dirfd, name) < 0)
		err = -errno;
	if (err)
		(void)unlinkat(dirfd, tmp, 0);
	return err;
}

int report_key_kept_at(int dirfd, const char *name, uint8_t key[REPORT_KEY_MAX])
{
	char text[2 * REPORT_KEY_MAX + 64];
	ssize_t n = small_file_read_at(dirfd, name, text, sizeof(text));
	if (n < 0)
		return (int)n;
	int len = report_wire_parse_key(text, (size_t)n, key);
	memset(text, 0, sizeof(text));
	return len;
}
