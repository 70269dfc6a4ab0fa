/* Big-endian integers in wire formats (DHCP, the report datagrams, ghostwatch's state files):
 * written and read byte by byte, never by casting a buffer to a struct or an integer. */
#ifndef GHOST_BE_H
#define GHOST_BE_H

#include <stdint.h>

/* Writes the low `bytes` bytes of v at p, most significant first. */
static inline void be_put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = bytes; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}

/* Reads `bytes` bytes at p, most significant first. */
static inline uint64_t be_get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

#endif
