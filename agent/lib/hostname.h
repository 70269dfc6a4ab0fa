/* Host names as RFC 1123 allows them, checked where a name arrives (DHCP, the inventory) and
 * again where it is used (ghostwatch's table, hostfile): a name is also a word in files that
 * other programs parse (an MPI hostfile line "n2 slots=4"), so nothing else may pass. */
#ifndef GHOST_HOSTNAME_H
#define GHOST_HOSTNAME_H

#define HOSTNAME_MAX 64 /* the report's string limit; a label is at most 63 (RFC 1035) */

/* 1 when s is 1-64 characters of dot-separated labels, each 1-63 letters, digits and '-',
 * neither starting nor ending with '-' (RFC 1123 2.1); 0 otherwise. */
int hostname_valid(const char *s);

#endif
