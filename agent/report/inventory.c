/* Collects the node's inventory for the reports: every source is optional (a field it
 * cannot read stays zero or empty), and every read is a small bounded file read. */
#include "report/inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/hostname.h"
#include "lib/small_file.h"
#include "report/cpuinfo.h"

/* A decimal number from a sysfs file; -1 when absent or not a number (speed is -1 without
 * carrier on many drivers). */
static long read_number(const char *ifname, const char *attr)
{
	char path[96], buf[32];
	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	if (small_file_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	long v = 0;
	const char *p = buf;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && v < 100000000; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* CPUs set in a sysfs CPU mask ("00000000,0000000f"): in buf, which is overwritten. */
static unsigned mask_weight(const char *path, char *buf, size_t size)
{
	unsigned w = 0;
	ssize_t n = small_file_read(path, buf, size);
	for (ssize_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)buf[i];
		w += (unsigned)__builtin_popcount(c >= 'a' ? c - 'a' + 10 : c >= '0' && c <= '9' ? c - '0' : 0);
	}
	return w;
}

static void copy_text(char *dst, const char *src)
{
	strncpy(dst, src, REPORT_TEXT_MAX);
	dst[REPORT_TEXT_MAX] = '\0';
}

int inventory_collect(const char *ifname, uint32_t ipv4, struct report_inventory *inv)
{
	static char cpu[65536]; /* /proc/cpuinfo of a 256-thread machine is about 400 KB: the
				 * first 64 KiB give the model; threads come from sysconf */
	int first_err = 0;
	memset(inv, 0, sizeof(*inv));
	inv->link_mbps = REPORT_LINK_SPEED_UNKNOWN;
	if (ipv4) {
		inv->ip[10] = inv->ip[11] = 0xff;
		memcpy(inv->ip + 12, &ipv4, 4);
	}
	struct utsname u;
	if (uname(&u) == 0) {
		copy_text(inv->kernel, u.release);
		/* Whatever set it (DHCP, ip=, the root's init), only an RFC 1123 name is reported. */
		if (hostname_valid(u.nodename))
			copy_text(inv->hostname, u.nodename);
	}
	struct cpuinfo ci;
	ssize_t n = small_file_read("/proc/cpuinfo", cpu, sizeof(cpu));
	if (n < 0)
		first_err = (int)n;
	else if (cpuinfo_parse(cpu, (size_t)n, &ci) == 0) {
		copy_text(inv->cpu, ci.model);
		inv->cores = (uint16_t)ci.cores;
		inv->threads = (uint16_t)ci.threads;
	}
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	if (online > 0 && online > inv->threads) {
		/* cpuinfo was cut: scale the cores as the threads grew */
		if (inv->threads)
			inv->cores = (uint16_t)(inv->cores * online / inv->threads);
		inv->threads = (uint16_t)online;
	}
	/* Packages as hwloc (and so slurmd) counts them, assuming every package alike; the
	 * cpuinfo buffer is done with. */
	unsigned per_package = mask_weight("/sys/devices/system/cpu/cpu0/topology/core_siblings", cpu, sizeof(cpu));
	if (per_package && inv->threads % per_package == 0)
		inv->sockets = (uint16_t)(inv->threads / per_package);
	struct sysinfo si;
	if (sysinfo(&si) == 0) {
		uint64_t bytes = (uint64_t)si.totalram * si.mem_unit;
		long page = sysconf(_SC_PAGESIZE);
		inv->mem_mib = (uint32_t)(bytes >> 20);
		if (page >= 1024) {
			inv->page_kib = (uint16_t)(page >> 10);
			inv->mem_pages = (uint32_t)(bytes / (unsigned long)page);
		}
	}
	if (ifname && ifname[0] && strlen(ifname) < 32) {
		long speed = read_number(ifname, "speed"), mtu = read_number(ifname, "mtu");
		if (speed >= 0)
			inv->link_mbps = (uint32_t)speed;
		if (mtu > 0 && mtu <= 0xffff)
			inv->mtu = (uint16_t)mtu;
	}
	return first_err;
}
