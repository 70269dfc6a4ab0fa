/* Pure parser of the ip= parameter in the kernel's and dracut's syntaxes (no I/O), so every
 * form is unit-tested and fuzzed; the network stage acts on the result. */
#ifndef GHOST_IPCONF_H
#define GHOST_IPCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPCONF_HOSTNAME_MAX 65 /* 64 (utsname) + NUL */
#define IPCONF_DEVICE_MAX 16   /* IFNAMSIZ */
#define IPCONF_ERROR_LEN 160

enum ipconf_method {
	IPCONF_DHCP = 0, /* also the meaning of an absent or empty ip= */
	IPCONF_STATIC,
	IPCONF_OFF, /* ip=off / ip=none: no network configuration at all */
};

/* Addresses in network byte order, 0 when the field was empty. */
struct ipconf {
	enum ipconf_method method;
	uint32_t client;  /* static address; with DHCP, the address asked for first */
	uint32_t server;  /* kernel <server-ip>, dracut <peer> */
	uint32_t gateway;
	uint32_t netmask; /* from a dotted quad or a prefix length; 0 when not given */
	char hostname[IPCONF_HOSTNAME_MAX];
	char device[IPCONF_DEVICE_MAX]; /* empty: not named */
	uint32_t dns[2];
	uint32_t ntp;
	uint16_t mtu;     /* dracut's <mtu>; 0 when not given */
	uint8_t mac[6];   /* dracut's <macaddr> */
	bool has_mac;
};

/* Parses len bytes of the value of ip= (without "ip="). Returns 0, or -EINVAL with a message
 * naming the field in err (e.g. "ip= field 4 (netmask) '255.255.0.300' is not an IPv4
 * address"). err may be NULL. */
int ipconf_parse(const char *text, size_t len, struct ipconf *out, char *err, size_t err_len);

/* Prefix length of a contiguous netmask (network order), or -1 when not contiguous. */
int ipconf_prefix_len(uint32_t netmask);

/* The classful default netmask the kernel uses when ip= gives an address without one. */
uint32_t ipconf_default_netmask(uint32_t addr);

#endif
