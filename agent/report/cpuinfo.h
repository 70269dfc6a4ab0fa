/* Pure parser of /proc/cpuinfo text: CPU model, threads and physical cores (inventory). */
#ifndef GHOST_CPUINFO_H
#define GHOST_CPUINFO_H

#include <stddef.h>

#define CPUINFO_MODEL_MAX 64

struct cpuinfo {
	char model[CPUINFO_MODEL_MAX + 1]; /* first "model name" (x86) or "Processor"/"cpu model" */
	unsigned threads;                  /* "processor" entries */
	unsigned cores;                    /* sum of "cpu cores" over distinct "physical id"s */
};

/* Parses len bytes. Returns 0, or -ENOENT when no processor entry was found. */
int cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out);

#endif
