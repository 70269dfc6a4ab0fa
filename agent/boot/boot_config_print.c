/* Prints the boot configuration as "name=value" lines: `ghostinit cmdline` shows an admin
 * what a command line means before 30 nodes boot with it, and the tests compare it. */
#include "boot/boot_config_print.h"

#include <arpa/inet.h>

#include "shutdown/reset.h"

void boot_config_print(FILE *out, const struct boot_config *c)
{
	static const char *const access[] = { "default", "ro", "rw" };
	char master[INET_ADDRSTRLEN] = "dhcp-server";
	if (c->master_ip)
		inet_ntop(AF_INET, &c->master_ip, master, sizeof(master));

	fprintf(out, "ip=%s\nroot=%s\nnfsroot=%s\nrootflags=%s\nrootfstype=%s\n", c->ip, c->root,
		c->nfsroot, c->rootflags, c->rootfstype);
	fprintf(out, "init=%s\nroot_access=%s\n", c->init[0] ? c->init : "/sbin/init", access[c->root_access]);
	fprintf(out, "bootif=");
	for (unsigned i = 0; i < c->bootif_len; i++)
		fprintf(out, "%s%02x", i ? ":" : "", c->bootif[i]);
	fprintf(out, "\nbootif_hwtype=%u\n", c->bootif_hwtype);
	fprintf(out, "net.ifnames=%d\n", c->net_ifnames_off ? 0 : 1);
	for (unsigned i = 0; i < c->ifname_count; i++) {
		const uint8_t *m = c->ifname[i].mac;
		fprintf(out, "ifname=%s:%02x:%02x:%02x:%02x:%02x:%02x\n", c->ifname[i].name, m[0], m[1], m[2], m[3],
			m[4], m[5]);
	}
	fprintf(out, "rd.break=%s%s%s\n", c->rd_break & RD_BREAK_PRE_MOUNT ? "pre-mount," : "",
		c->rd_break & RD_BREAK_MOUNT ? "mount," : "", c->rd_break & RD_BREAK_PRE_PIVOT ? "pre-pivot," : "");
	fprintf(out, "rd.shell=%d\npanic=%d\n", c->rd_shell, c->panic_seconds);
	fprintf(out, "ghost.master=%s:%u\n", master, c->master_port);
	fprintf(out, "ghost.key=%s\n", c->key[0] == '/' ? c->key : c->key[0] ? "(literal)" : "");
	fprintf(out, "ghost.overlay=%s%s%s\n", c->overlay == OVERLAY_TMPFS ? "tmpfs" : "none",
		c->overlay_size[0] ? ":size=" : "", c->overlay_size);
	fprintf(out, "ghost.reset=%s\n", reset_method_name(c->reset));
	fprintf(out, "ghost.carrier_timeout_ms=%u\nghost.dhcp_timeout_ms=%u\n", c->carrier_timeout_ms,
		c->dhcp_timeout_ms);
	fprintf(out, "ghost.root_timeout_ms=%u\nghost.shutdown_timeout_ms=%u\n", c->root_timeout_ms,
		c->shutdown_timeout_ms);
	fprintf(out, "ghost.heartbeat=%u\nghost.protocol=%u\nghost.debug=%d\n", c->heartbeat_s,
		c->protocol == 1 ? 1u : 2u, c->debug);
	fprintf(out, "ghost.wol=%s\n", c->wol == WOL_MAGIC ? "g" : c->wol == WOL_OFF ? "d" : "");
}
