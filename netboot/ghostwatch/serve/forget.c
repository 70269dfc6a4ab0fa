/* Requests to forget nodes, between the command and serve (see forget.h). A request is
 * forget.d/req-PID-N (one MAC a line, written as .req-PID-N and renamed, so serve never
 * reads half of one); serve's answer is forget.d/ans-PID-N: "saved ERRNO", then "MAC forgot"
 * or "MAC unknown" a line, also renamed into place. */
#include "serve/forget.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/cluster_list.h"

#define MAC_LINE 18 /* "aa:bb:cc:dd:ee:ff\n" */
#define REQUEST_MAX ((size_t)FORGET_MACS_MAX * MAC_LINE) /* bytes */

int forget_prepare(const char *state_dir)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/" FORGET_DIR, state_dir);
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -errno : 0;
}

/* The whole request file, NUL-terminated (free(3)); NULL when it is not a regular file of
 * at most REQUEST_MAX bytes. */
static char *read_request(int dirfd, const char *name, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size <= REQUEST_MAX &&
	    (text = malloc((size_t)st.st_size + 1))) {
		ssize_t got = read(fd, text, (size_t)st.st_size);
		*len = got < 0 ? 0 : (size_t)got;
		text[*len] = '\0';
	}
	close(fd);
	return text;
}

/* Writes head then body into name through a dot-file and a rename. 0 or -errno. */
static int write_file(int dirfd, const char *name, const char *head, const char *body, size_t len)
{
	char tmp[256];
	snprintf(tmp, sizeof(tmp), ".%s", name);
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	size_t hlen = strlen(head);
	int err = write(fd, head, hlen) == (ssize_t)hlen && write(fd, body, len) == (ssize_t)len ? 0 : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(dirfd, tmp, dirfd, name) < 0)
		err = -errno;
	if (err)
		unlinkat(dirfd, tmp, 0);
	return err;
}

/* Removes each MAC of text from t; the answer's lines go to ans (room for cap bytes). */
static int drop_listed(struct nodes *t, char *text, char *ans, size_t cap, size_t *used)
{
	int removed = 0;
	char *save;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint8_t mac[REPORT_NODE_LEN];
		if (cluster_parse_mac(line, mac))
			continue; /* not ours: the command writes MACs only */
		int gone = !nodes_remove(t, mac);
		removed += gone;
		int w = snprintf(ans + *used, cap - *used, "%s %s\n", line, gone ? "forgot" : "unknown");
		if (w > 0 && (size_t)w < cap - *used)
			*used += (size_t)w;
	}
	return removed;
}

/* One request: its nodes dropped, the state saved, then the answer (so that an answer
 * always means saved or says why not), then the request removed. */
static int handle(int dirfd, const char *name, struct nodes *t, int (*save)(void *), void *ctx)
{
	size_t len = 0, cap = REQUEST_MAX * 2, used = 0;
	char *text = read_request(dirfd, name, &len);
	char *lines = text ? malloc(cap) : NULL;
	int removed = 0;
	if (lines) {
		removed = drop_listed(t, text, lines, cap, &used);
		char head[32], answer[256];
		snprintf(head, sizeof(head), "saved %d\n", removed ? save(ctx) : 0);
		snprintf(answer, sizeof(answer), "ans-%s", name + 4);
		if (write_file(dirfd, answer, head, lines, used))
			fprintf(stderr, "ghostwatch: cannot answer %s/%s\n", FORGET_DIR, name);
	}
	unlinkat(dirfd, name, 0);
	free(text);
	free(lines);
	return removed;
}

int forget_serve(const char *state_dir, struct nodes *t, int (*save)(void *ctx), void *ctx)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/" FORGET_DIR, state_dir);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "req-", 4) && strlen(e->d_name) < 200)
			removed += handle(dirfd(d), e->d_name, t, save, ctx);
	closedir(d);
	return removed;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Reads serve's answer: forgot[] and *saved. 0, or -EAGAIN while there is none. */
static int read_answer(int dirfd, const char *name, const uint8_t (*macs)[REPORT_NODE_LEN],
		       size_t count, uint8_t *forgot, int *saved)
{
	size_t len;
	char *text = read_request(dirfd, name, &len), *save;
	if (!text)
		return -EAGAIN;
	memset(forgot, 0, count);
	*saved = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char word[8], m[18];
		uint8_t mac[REPORT_NODE_LEN];
		if (sscanf(line, "saved %d", saved) == 1)
			continue;
		if (sscanf(line, "%17s %7s", m, word) != 2 || cluster_parse_mac(m, mac))
			continue;
		for (size_t i = 0; i < count; i++)
			if (!memcmp(macs[i], mac, REPORT_NODE_LEN))
				forgot[i] = !strcmp(word, "forgot");
	}
	free(text);
	unlinkat(dirfd, name, 0);
	return 0;
}

static char *request_text(const uint8_t (*macs)[REPORT_NODE_LEN], size_t count, size_t *len)
{
	char *text = malloc(count * MAC_LINE + 1);
	if (!text)
		return NULL;
	*len = 0;
	for (size_t i = 0; i < count; i++)
		*len += (size_t)sprintf(text + *len, "%02x:%02x:%02x:%02x:%02x:%02x\n", macs[i][0], macs[i][1],
					macs[i][2], macs[i][3], macs[i][4], macs[i][5]);
	return text;
}

int forget_request(const char *state_dir, const uint8_t (*macs)[REPORT_NODE_LEN], size_t count,
		   int timeout_ms, uint8_t *forgot, int *saved)
{
	char path[4096], req[64], ans[64];
	static unsigned serial;
	if (count > FORGET_MACS_MAX)
		return -E2BIG;
	snprintf(path, sizeof(path), "%s/" FORGET_DIR, state_dir);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno; /* ENOENT: no serve ever ran on this state (or an older one) */
	snprintf(req, sizeof(req), "req-%d-%u", (int)getpid(), serial);
	snprintf(ans, sizeof(ans), "ans-%d-%u", (int)getpid(), serial++);
	size_t len;
	char *text = request_text(macs, count, &len);
	int err = text ? write_file(dirfd, req, "", text, len) : -ENOMEM;
	free(text);
	for (int waited = 0; !err; waited += 100) {
		if (!read_answer(dirfd, ans, macs, count, forgot, saved))
			break;
		if (waited >= timeout_ms) {
			/* Withdrawn; if serve took it meanwhile, its answer is what counts. */
			if (unlinkat(dirfd, req, 0) < 0 && errno == ENOENT && !read_answer(dirfd, ans, macs, count, forgot, saved))
				break;
			err = -ETIMEDOUT;
			break;
		}
		sleep_ms(100);
	}
	close(dirfd);
	return err;
}
