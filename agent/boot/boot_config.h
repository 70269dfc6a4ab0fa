/* The one boot configuration: parsed once from the kernel command line, immutable afterwards.
 * ghostinit(8) (docs/man/ghostinit.8.scd) documents every parameter; tests/build/test_man.sh
 * keeps it in step with cmdline.c's table. */
#ifndef GHOST_BOOT_CONFIG_H
#define GHOST_BOOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_STR_MAX 256
#define BOOT_HWADDR_MAX 20
#define BOOT_IFNAME_MAX 4

/* dracut's rd.break points that ghostinit honours (others warn). */
enum rd_break {
	RD_BREAK_PRE_MOUNT = 1u << 0,
	RD_BREAK_MOUNT = 1u << 1,
	RD_BREAK_PRE_PIVOT = 1u << 2,
};

enum reset_method { RESET_PCI = 0, RESET_ACPI, RESET_KBD, RESET_EFI, RESET_TRIPLE };

enum overlay_mode { OVERLAY_NONE = 0, OVERLAY_TMPFS };

enum root_access { ROOT_ACCESS_DEFAULT = 0, ROOT_ACCESS_RO, ROOT_ACCESS_RW };

struct boot_config {
	/* Standard kernel / dracut / pxelinux parameters, kept as given; their stages parse the
	 * inner syntax (ip= by the network stage, root=/nfsroot= by the root stage). */
	char ip[BOOT_STR_MAX];
	char root[BOOT_STR_MAX];
	char nfsroot[BOOT_STR_MAX];
	char rootflags[BOOT_STR_MAX];
	char rootfstype[32];
	char init[BOOT_STR_MAX]; /* empty: /sbin/init */
	enum root_access root_access;
	uint8_t bootif[BOOT_HWADDR_MAX]; /* BOOTIF=: hardware address without the type byte */
	uint8_t bootif_len;              /* 0: not given */
	uint8_t bootif_hwtype;           /* ARP hardware type (1 = Ethernet) */
	bool net_ifnames_off;            /* net.ifnames=0: keep the kernel's interface names */
	struct {
		char name[16];
		uint8_t mac[6];
	} ifname[BOOT_IFNAME_MAX]; /* dracut's ifname=<name>:<mac> */
	unsigned ifname_count;
	unsigned rd_break;               /* enum rd_break bits */
	bool rd_shell;
	bool panic_set;
	int panic_seconds; /* kernel panic=: <0 reset at once, >0 wait that long */
	bool acpi_off;     /* the kernel's acpi=off (last acpi= wins): no ACPI, no power-off */

	/* ghostboot's own ghost.* parameters, validated here. */
	uint32_t master_ip;   /* network byte order; 0: the DHCP server */
	uint16_t master_port; /* host order */
	char key[BOOT_STR_MAX]; /* ghost.key=: a file path (starts with '/') or hex key bytes */
	enum overlay_mode overlay;
	char overlay_size[16]; /* tmpfs size= value ("512m", "50%"); empty: tmpfs default */
	enum reset_method reset;
	uint32_t carrier_timeout_ms;
	uint32_t dhcp_timeout_ms;
	uint32_t root_timeout_ms;
	uint32_t shutdown_timeout_ms;
	uint32_t heartbeat_s; /* 0: no heartbeat after switch_root */
	uint8_t protocol;     /* ghost.protocol=1: report protocol v1 (an old master); 0: v2 */
	bool debug;
};

#define GHOST_DEFAULT_MASTER_PORT 7468
#define GHOST_DEFAULT_CARRIER_TIMEOUT_MS 10000u
#define GHOST_DEFAULT_DHCP_TIMEOUT_MS 30000u
#define GHOST_DEFAULT_ROOT_TIMEOUT_MS 180000u
#define GHOST_DEFAULT_SHUTDOWN_TIMEOUT_MS 15000u
#define GHOST_DEFAULT_PANIC_SECONDS 10

void boot_config_defaults(struct boot_config *cfg);

#endif
