/* Pure parser of /proc/self/mountinfo and the unmount order of the shutdown (see mountinfo.h).
 * Line format (proc(5)): id parent major:minor root mount-point options [optional...] - fstype
 * source super-options; spaces, tabs, newlines and backslashes in paths are octal escapes. */
#include "shutdown/mountinfo.h"

#include <limits.h>
#include <string.h>

struct field {
	const char *p;
	size_t len;
};

#define MAX_FIELDS 32 /* 6 fixed + optional tags + separator + 3: real lines have < 12 */

static int parse_uint(struct field f, unsigned *out)
{
	unsigned long v = 0;
	if (f.len == 0 || f.len > 10)
		return -1;
	for (size_t i = 0; i < f.len; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(f.p[i] - '0');
	}
	if (v > UINT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_dev(struct field f, unsigned *major, unsigned *minor)
{
	const char *colon = memchr(f.p, ':', f.len);
	if (!colon)
		return -1;
	struct field a = { f.p, (size_t)(colon - f.p) };
	struct field b = { colon + 1, f.len - a.len - 1 };
	return parse_uint(a, major) || parse_uint(b, minor) ? -1 : 0;
}

static int is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Decodes the kernel's \ooo escapes into out (cap bytes, NUL-terminated). A decoded NUL is
 * garbage (no path holds one). Too long: -1, or cut short when truncate is set. */
static int decode(struct field f, char *out, size_t cap, int truncate)
{
	size_t n = 0;
	for (size_t i = 0; i < f.len; i++) {
		char c = f.p[i];
		if (c == '\\' && f.len - i >= 4 && f.p[i + 1] >= '0' && f.p[i + 1] <= '3' &&
		    is_octal(f.p[i + 2]) && is_octal(f.p[i + 3])) {
			c = (char)((f.p[i + 1] - '0') << 6 | (f.p[i + 2] - '0') << 3 | (f.p[i + 3] - '0'));
			i += 3;
		}
		if (c == '\0')
			return -1;
		if (n + 1 >= cap) {
			if (!truncate)
				return -1;
			break;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

static unsigned split(const char *line, size_t len, struct field *fields, unsigned cap)
{
	unsigned count = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		if (count == cap)
			return cap + 1; /* too many fields: garbled */
		fields[count++] = (struct field){ line + start, i - start };
	}
	return count;
}

static int parse_line(const char *line, size_t len, struct mountinfo_entry *e)
{
	struct field f[MAX_FIELDS];
	unsigned n = split(line, len, f, MAX_FIELDS);
	if (n > MAX_FIELDS || n < 9)
		return -1;
	unsigned sep = 6;
	while (sep < n && !(f[sep].len == 1 && f[sep].p[0] == '-'))
		sep++;
	if (sep + 2 >= n) /* fstype and source must follow the separator */
		return -1;
	if (parse_uint(f[0], &e->id) || parse_uint(f[1], &e->parent) ||
	    parse_dev(f[2], &e->major, &e->minor))
		return -1;
	if (decode(f[4], e->mount_point, sizeof(e->mount_point), 0) || e->mount_point[0] != '/')
		return -1;
	if (decode(f[sep + 1], e->fstype, sizeof(e->fstype), 0) || !e->fstype[0])
		return -1;
	/* The source is only ever shown in messages: a long one is cut, not a reason to skip. */
	if (decode(f[sep + 2], e->source, sizeof(e->source), 1))
		return -1;
	return 0;
}

void mountinfo_parse(const char *text, size_t len, struct mountinfo *out)
{
	out->count = out->malformed = out->dropped = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *line = text + pos;
		pos += line_len + (nl ? 1 : 0);
		if (line_len == 0)
			continue;
		if (line_len > MOUNTINFO_LINE_MAX) {
			out->malformed++;
			continue;
		}
		struct mountinfo_entry scratch;
		struct mountinfo_entry *e = out->count < MOUNTINFO_MAX ? &out->entry[out->count] : &scratch;
		if (parse_line(line, line_len, e)) {
			out->malformed++;
			continue;
		}
		if (e == &scratch)
			out->dropped++;
		else
			out->count++;
	}
}

bool mountinfo_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (n == 1 && prefix[0] == '/')
		return path[0] == '/';
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool mountinfo_is_network(const struct mountinfo_entry *e)
{
	static const char *const types[] = { "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "ceph",
					     "9p", "afs", "glusterfs", "lustre", "gfs2", "ocfs2",
					     "fuse.sshfs" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(e->fstype, types[i]))
			return true;
	return false;
}

unsigned mountinfo_unmount_order(const struct mountinfo *mi, const char *prefix, unsigned *order,
				 unsigned cap)
{
	/* Kahn's algorithm over the selected mounts: a mount is free once no selected mount still
	 * sits on it. parent_of[i] is the selected mount i sits on (the first with that id). */
	int parent_of[MOUNTINFO_MAX];
	unsigned children[MOUNTINFO_MAX];
	bool selected[MOUNTINFO_MAX], done[MOUNTINFO_MAX];
	unsigned n = mi->count < MOUNTINFO_MAX ? mi->count : MOUNTINFO_MAX, left = 0, out = 0;

	for (unsigned i = 0; i < n; i++) {
		selected[i] = mountinfo_path_under(mi->entry[i].mount_point, prefix);
		done[i] = !selected[i];
		children[i] = 0;
		parent_of[i] = -1;
		left += selected[i];
	}
	for (unsigned i = 0; i < n; i++) {
		if (!selected[i])
			continue;
		for (unsigned j = 0; j < n; j++) {
			if (j != i && selected[j] && mi->entry[j].id == mi->entry[i].parent &&
			    mi->entry[i].id != mi->entry[i].parent) {
				parent_of[i] = (int)j;
				children[j]++;
				break;
			}
		}
	}
	while (left > 0 && out < cap) {
		int pick = -1;
		/* Newest first: the kernel lists mounts in the order they were made. */
		for (unsigned k = n; k-- > 0;) {
			if (done[k] || children[k] > 0)
				continue;
			if (pick < 0 || (mountinfo_is_network(&mi->entry[pick]) &&
					 !mountinfo_is_network(&mi->entry[k])))
				pick = (int)k;
		}
		if (pick < 0) /* only a cycle is left: take the newest */
			for (unsigned k = n; k-- > 0 && pick < 0;)
				if (!done[k])
					pick = (int)k;
		done[pick] = true;
		left--;
		order[out++] = (unsigned)pick;
		if (parent_of[pick] >= 0 && children[parent_of[pick]] > 0)
			children[parent_of[pick]]--;
	}
	return out;
}

int mountinfo_network_ancestor(const struct mountinfo *mi, unsigned idx)
{
	/* At most count steps: a garbled parent chain may loop. */
	for (unsigned steps = 0; idx < mi->count && steps < mi->count; steps++) {
		const struct mountinfo_entry *e = &mi->entry[idx];
		if (mountinfo_is_network(e))
			return (int)idx;
		unsigned next = mi->count;
		for (unsigned j = 0; j < mi->count; j++) {
			if (j != idx && mi->entry[j].id == e->parent) {
				next = j;
				break;
			}
		}
		idx = next;
	}
	return -1;
}
