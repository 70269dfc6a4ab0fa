/* ghostwatch's state on disk, in one directory: "snapshot" (every node, written to a
 * temporary file and renamed) and "log.<n>" (every accepted report since that snapshot,
 * appended before its ack is sent). A kill -9 loses nothing acked: the page cache keeps
 * what write(2) returned for, and loading replays the log over the snapshot. */
#ifndef GW_PERSIST_H
#define GW_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "state/nodes.h"

#define PERSIST_DEFAULT_DIR "/var/lib/ghostboot/watch" /* systemd: StateDirectory=ghostboot/watch */

struct persist;

/* Loads dir into t (an empty table), then starts a fresh snapshot + log generation.
 * Returns NULL with *err = -errno on failure. */
struct persist *persist_open(const char *dir, struct nodes *t, int *err);
/* Read-only load for status/hostfile/timeline while serve may be compacting: retried until
 * the snapshot and the logs it names are read consistently. 0 or -errno. */
int persist_load(const char *dir, struct nodes *t);

/* Queues one accepted datagram; persist_flush writes the queue with one write(2). */
int persist_log(struct persist *p, const uint8_t *dgram, size_t len, int64_t wall_ms, uint32_t src);
int persist_flush(struct persist *p);
/* Bytes in the current log and in the last snapshot: serve compacts when the log outgrows
 * the snapshot (so compaction costs stay proportional to the reports received). */
uint64_t persist_log_size(const struct persist *p);
uint64_t persist_snapshot_size(const struct persist *p);
/* Writes a new snapshot of t and starts a new, empty log. 0 or -errno. */
int persist_compact(struct persist *p, struct nodes *t);
void persist_close(struct persist *p);

#endif
