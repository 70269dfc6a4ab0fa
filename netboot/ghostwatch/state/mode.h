/* How serve runs, told to the readers of its state directory: `<state>/insecure` exists while a
 * serve without a cluster key (--insecure) owns the directory, so that status and hostfile
 * users see that the table may hold forged reports. */
#ifndef GW_MODE_H
#define GW_MODE_H

/* Creates (insecure) or removes (keyed) <dir>/insecure. 0 or -errno. */
int mode_mark(const char *dir, int insecure);
/* 1 when the last serve of dir ran without a key, 0 when not. */
int mode_insecure(const char *dir);

#endif
