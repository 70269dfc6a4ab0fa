/* Snapshot and log files. Both are packed by hand, big-endian, with a magic and a format
 * version; a torn last log record (power loss) is ignored on load. */
#include "state/persist.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/be.h"

#define SNAP_MAGIC "GWSTATE4"
#define SNAP_MAGIC_V3 "GWSTATE3" /* read (without sockets and pages), never written */
#define SNAP_MAGIC_V2 "GWSTATE2" /* read (without protocol and nonce), never written */
#define SNAP_MAGIC_V1 "GWSTATE1" /* read (without the guardian fields either), never written */
#define SNAP_HEADER 16 /* magic, next log generation, node count */
#define LOG_RECORD_HEADER 14 /* length u16, source u32, wall ms u64 */
#define QUEUE_SIZE (256 * 1024)
#define STR_FIELD (REPORT_TEXT_MAX + 1)
#define NODE_RECORD (6 + 1 + 1 + 2 + 2 + 4 + 8 + 8 + 8 * NODES_PREV_BOOTS + 4 + 4 + 8 * 3 + \
		     4 * REPORT_STAGE_COUNT + STR_FIELD + 16 + 2 + 2 + 4 + 4 + 2 + 3 * STR_FIELD)
#define NODE_RECORD_V2 (NODE_RECORD + 4 + STR_FIELD) /* + guardian restores and text */
#define NODE_RECORD_V3 (NODE_RECORD_V2 + 1 + REPORT_NONCE_LEN) /* + protocol, nonce */
#define NODE_RECORD_V4 (NODE_RECORD_V3 + 2 + 2 + 4) /* + sockets, page size, pages */

struct persist {
	char dir[PATH_MAX - 32];
	uint32_t gen;
	int log_fd;
	uint64_t log_size;
	uint64_t snapshot_size;
	size_t queued;
	uint8_t queue[QUEUE_SIZE];
};

static uint8_t *put(uint8_t *p, uint64_t v, unsigned bytes)
{
	be_put(p, v, bytes);
	return p + bytes;
}

static uint64_t get(const uint8_t **p, unsigned bytes)
{
	uint64_t v = be_get(*p, bytes);
	*p += bytes;
	return v;
}

static uint8_t *put_mem(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

static void get_mem(const uint8_t **p, void *dst, size_t n)
{
	memcpy(dst, *p, n);
	*p += n;
}

static void get_str(const uint8_t **p, char *dst)
{
	get_mem(p, dst, STR_FIELD);
	dst[STR_FIELD - 1] = '\0';
}

static void pack_node(const struct node *n, uint8_t *rec)
{
	uint8_t *p = put_mem(rec, n->mac, 6);
	p = put(p, n->last_stage, 1);
	p = put(p, n->has_inventory, 1);
	p = put(p, n->heartbeat_s, 2);
	p = put(p, n->error, 2);
	p = put(p, n->seq_top, 4);
	p = put(p, n->window, 8);
	p = put(p, n->boot_id, 8);
	for (int i = 0; i < NODES_PREV_BOOTS; i++)
		p = put(p, n->prev_boots[i], 8);
	p = put(p, n->boots, 4);
	p = put_mem(p, &n->src_ip, 4); /* network order as it is */
	p = put(p, (uint64_t)n->first_seen, 8);
	p = put(p, (uint64_t)n->last_seen, 8);
	p = put(p, (uint64_t)n->boot_wall, 8);
	for (int i = 0; i < REPORT_STAGE_COUNT; i++)
		p = put(p, n->stage_ms[i], 4);
	p = put_mem(p, n->error_text, STR_FIELD);
	p = put_mem(p, n->inv.ip, 16);
	p = put(p, n->inv.cores, 2);
	p = put(p, n->inv.threads, 2);
	p = put(p, n->inv.mem_mib, 4);
	p = put(p, n->inv.link_mbps, 4);
	p = put(p, n->inv.mtu, 2);
	p = put_mem(p, n->inv.hostname, STR_FIELD);
	p = put_mem(p, n->inv.kernel, STR_FIELD);
	p = put_mem(p, n->inv.cpu, STR_FIELD);
	p = put(p, n->guardian_restores, 4);
	p = put_mem(p, n->guardian_text, STR_FIELD);
	p = put(p, n->protocol, 1);
	p = put_mem(p, n->nonce, REPORT_NONCE_LEN);
	p = put(p, n->inv.sockets, 2);
	p = put(p, n->inv.page_kib, 2);
	put(p, n->inv.mem_pages, 4);
}

/* A time read back from disk, in ms since the epoch: a damaged file may hold anything, and
 * the printers subtract and add these, so what no clock can show (before 1970, after the
 * year 35000) becomes 0 ("never"). */
static int64_t plausible_ms(uint64_t v)
{
	return v < (1ull << 50) ? (int64_t)v : 0;
}

static void unpack_node(const uint8_t *rec, struct node *n, int version)
{
	const uint8_t *p = rec + 6;
	n->last_stage = (uint8_t)get(&p, 1);
	if (n->last_stage >= REPORT_STAGE_COUNT)
		n->last_stage = REPORT_STAGE_BOOT;
	n->has_inventory = (uint8_t)get(&p, 1);
	n->heartbeat_s = (uint16_t)get(&p, 2);
	n->error = (uint16_t)get(&p, 2);
	n->seq_top = (uint32_t)get(&p, 4);
	n->window = get(&p, 8);
	n->boot_id = get(&p, 8);
	for (int i = 0; i < NODES_PREV_BOOTS; i++)
		n->prev_boots[i] = get(&p, 8);
	n->boots = (uint32_t)get(&p, 4);
	get_mem(&p, &n->src_ip, 4);
	n->first_seen = plausible_ms(get(&p, 8));
	n->last_seen = plausible_ms(get(&p, 8));
	n->boot_wall = plausible_ms(get(&p, 8));
	for (int i = 0; i < REPORT_STAGE_COUNT; i++)
		n->stage_ms[i] = (uint32_t)get(&p, 4);
	get_str(&p, n->error_text);
	get_mem(&p, n->inv.ip, 16);
	n->inv.cores = (uint16_t)get(&p, 2);
	n->inv.threads = (uint16_t)get(&p, 2);
	n->inv.mem_mib = (uint32_t)get(&p, 4);
	n->inv.link_mbps = (uint32_t)get(&p, 4);
	n->inv.mtu = (uint16_t)get(&p, 2);
	get_str(&p, n->inv.hostname);
	get_str(&p, n->inv.kernel);
	get_str(&p, n->inv.cpu);
	if (version >= 2) {
		n->guardian_restores = (uint32_t)get(&p, 4);
		get_str(&p, n->guardian_text);
	}
	n->protocol = REPORT_WIRE_V1;
	if (version >= 3) {
		n->protocol = get(&p, 1) == 2 ? 2 : REPORT_WIRE_V1;
		get_mem(&p, n->nonce, REPORT_NONCE_LEN);
	}
	if (version >= 4) {
		n->inv.sockets = (uint16_t)get(&p, 2);
		n->inv.page_kib = (uint16_t)get(&p, 2);
		n->inv.mem_pages = (uint32_t)get(&p, 4);
	}
}

/* Reads the snapshot into t; *next_log gets the generation of the log that follows it
 * (1 when there is no snapshot yet). */
static int load_snapshot(const char *dir, struct nodes *t, uint32_t *next_log)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	*next_log = 1;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	uint8_t head[SNAP_HEADER], rec[NODE_RECORD_V4];
	int err = 0, version = 0;
	if (fread(head, 1, SNAP_HEADER, f) == SNAP_HEADER)
		version = !memcmp(head, SNAP_MAGIC, 8) ? 4 : !memcmp(head, SNAP_MAGIC_V3, 8) ? 3
			: !memcmp(head, SNAP_MAGIC_V2, 8) ? 2 : !memcmp(head, SNAP_MAGIC_V1, 8) ? 1 : 0;
	if (!version) {
		fclose(f);
		return -EINVAL;
	}
	size_t record = version == 4 ? NODE_RECORD_V4 : version == 3 ? NODE_RECORD_V3
		: version == 2 ? NODE_RECORD_V2 : NODE_RECORD;
	const uint8_t *p = head + 8;
	*next_log = (uint32_t)get(&p, 4);
	uint32_t count = (uint32_t)get(&p, 4);
	for (uint32_t i = 0; i < count; i++) {
		if (fread(rec, 1, record, f) != record) {
			err = -EINVAL;
			break;
		}
		struct node *n = nodes_get(t, rec);
		if (!n) {
			err = -ENOSPC;
			break;
		}
		unpack_node(rec, n, version);
	}
	fclose(f);
	return err;
}

/* Replays log.<gen> into t. -ENOENT when it does not exist. */
static int load_log(const char *dir, uint32_t gen, struct nodes *t)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/log.%u", dir, gen);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	uint8_t head[LOG_RECORD_HEADER], dgram[REPORT_WIRE_MAX];
	while (fread(head, 1, sizeof(head), f) == sizeof(head)) {
		const uint8_t *p = head;
		size_t len = (size_t)get(&p, 2);
		uint32_t src;
		get_mem(&p, &src, 4);
		int64_t wall = plausible_ms(get(&p, 8));
		if (len > sizeof(dgram) || fread(dgram, 1, len, f) != len)
			break; /* torn last record */
		if (!wall)
			continue; /* damaged: no time to place it at */
		struct report_msg m;
		if (report_wire_decode(dgram, len, &m) != REPORT_OK || m.type != REPORT_TYPE_REPORT)
			continue;
		/* A v2 boot's opener: serve logged it tentative and applied nothing. Every other
		 * record was applied, its nonce checked then (the key of the check is gone). */
		if (m.version == 2 && report_nonce_zero(m.nonce))
			continue;
		struct node *n = nodes_find(t, m.node);
		if (nodes_replay_check(n, m.boot_id, m.seq) != REPORT_OK)
			continue;
		if (!n && !(n = nodes_get(t, m.node)))
			continue;
		nodes_apply(n, &m, wall, src);
	}
	fclose(f);
	return 0;
}

/* Snapshot, then every log from the generation it names on. */
static int load_once(const char *dir, struct nodes *t, uint32_t *first_gen, uint32_t *end_gen)
{
	uint32_t gen;
	int err = load_snapshot(dir, t, &gen);
	if (err)
		return err;
	*first_gen = gen;
	for (;; gen++) {
		err = load_log(dir, gen, t);
		if (err == -ENOENT)
			break;
		if (err)
			return err;
	}
	*end_gen = gen;
	return 0;
}

static uint32_t snapshot_next_log(const char *dir)
{
	char path[PATH_MAX];
	uint8_t head[SNAP_HEADER];
	uint32_t next = 1;
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return next;
	if (fread(head, 1, SNAP_HEADER, f) == SNAP_HEADER) {
		const uint8_t *p = head + 8;
		next = (uint32_t)get(&p, 4);
	}
	fclose(f);
	return next;
}

int persist_load(const char *dir, struct nodes *t)
{
	/* serve may replace the snapshot and delete the log it covers while we read: when the
	 * snapshot names another generation after the read than before, read again. */
	for (int attempt = 0; attempt < 50; attempt++) {
		uint32_t first = 0, end = 0;
		nodes_clear(t);
		int err = load_once(dir, t, &first, &end);
		if (err && err != -ENOENT)
			return err;
		if (!err && snapshot_next_log(dir) == first)
			return 0;
		usleep(20000);
	}
	return -EAGAIN;
}

static int open_log(struct persist *p, uint32_t gen)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/log.%u", p->dir, gen);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

int persist_compact(struct persist *p, struct nodes *t)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int err = persist_flush(p);
	if (err)
		return err;
	int fd = open_log(p, p->gen + 1);
	if (fd < 0)
		return fd;
	snprintf(tmp, sizeof(tmp), "%s/snapshot.tmp", p->dir);
	snprintf(path, sizeof(path), "%s/snapshot", p->dir);
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
	uint8_t head[SNAP_HEADER], rec[NODE_RECORD_V4];
	uint8_t *q = put_mem(head, SNAP_MAGIC, 8);
	q = put(q, p->gen + 1, 4);
	put(q, nodes_count(t), 4);
	fwrite(head, 1, sizeof(head), f);
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		pack_node(nodes_at(t, i), rec);
		fwrite(rec, 1, sizeof(rec), f);
	}
	/* fsync before rename: after a power loss the new name must have the new content. */
	if (fflush(f) || fsync(fileno(f)) || ferror(f)) {
		err = -errno ? -errno : -EIO;
		fclose(f);
		unlink(tmp);
		close(fd);
		return err;
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		err = -errno;
		unlink(tmp);
		close(fd);
		return err;
	}
	char old[PATH_MAX];
	snprintf(old, sizeof(old), "%s/log.%u", p->dir, p->gen);
	(void)unlink(old);
	if (p->log_fd >= 0)
		close(p->log_fd);
	p->log_fd = fd;
	p->gen++;
	p->log_size = 0;
	p->snapshot_size = SNAP_HEADER + (uint64_t)nodes_count(t) * NODE_RECORD_V4;
	return 0;
}

struct persist *persist_open(const char *dir, struct nodes *t, int *err)
{
	struct persist *p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->log_fd = -1;
	if (strlen(dir) >= sizeof(p->dir)) {
		*err = -ENAMETOOLONG;
		free(p);
		return NULL;
	}
	strcpy(p->dir, dir);
	/* An existing folder is fine even when mkdir says EROFS, not EEXIST: NFS skips the lookup
	 * of an exclusive create, and systemd's ProtectSystem=strict mounts the state directory's
	 * parent read-only (ghostwatch.service on a master whose root is NFS). */
	struct stat st;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		int mkdir_err = errno;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			*err = -mkdir_err;
			free(p);
			return NULL;
		}
	}
	uint32_t first = 0, end = 0;
	*err = load_once(dir, t, &first, &end);
	if (*err) {
		free(p);
		return NULL;
	}
	/* Start from one snapshot with every log folded in; older logs go. */
	p->gen = end;
	*err = persist_compact(p, t);
	if (*err) {
		free(p);
		return NULL;
	}
	for (uint32_t g = first; g < end; g++) {
		char old[PATH_MAX];
		snprintf(old, sizeof(old), "%s/log.%u", dir, g);
		(void)unlink(old);
	}
	return p;
}

int persist_log(struct persist *p, const uint8_t *dgram, size_t len, int64_t wall_ms, uint32_t src)
{
	if (len > REPORT_WIRE_MAX)
		return -EINVAL;
	if (p->queued + LOG_RECORD_HEADER + len > sizeof(p->queue)) {
		int err = persist_flush(p);
		if (err)
			return err;
	}
	uint8_t *q = p->queue + p->queued;
	q = put(q, len, 2);
	q = put_mem(q, &src, 4);
	q = put(q, (uint64_t)wall_ms, 8);
	put_mem(q, dgram, len);
	p->queued += LOG_RECORD_HEADER + len;
	return 0;
}

int persist_flush(struct persist *p)
{
	size_t done = 0;
	int err = 0;
	while (done < p->queued) {
		ssize_t n = write(p->log_fd, p->queue + done, p->queued - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		done += (size_t)n;
	}
	/* What was written stays written: only the rest is kept, so a retry continues the record
	 * where the short write stopped. Writing the whole queue again would leave a torn record
	 * in the middle of the log, and every record after it (acked reports) lost at the next
	 * load. */
	p->log_size += done;
	memmove(p->queue, p->queue + done, p->queued - done);
	p->queued -= done;
	return err;
}

uint64_t persist_log_size(const struct persist *p) { return p->log_size; }
uint64_t persist_snapshot_size(const struct persist *p) { return p->snapshot_size; }

void persist_close(struct persist *p)
{
	if (!p)
		return;
	(void)persist_flush(p);
	if (p->log_fd >= 0)
		close(p->log_fd);
	free(p);
}
