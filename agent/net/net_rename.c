/* Interface names before the links go up (see net_rename.h). udev in the real root then finds
 * each NIC already renamed by userspace and keeps it (NamePolicy=keep): no failed rename of a
 * link that is up, and the device unit of the predictable name becomes active. */
#include "net/net_rename.h"

#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "net/net_id.h"
#include "net/net_id_sysfs.h"

void net_rename_target(const struct boot_config *cfg, const struct link_info *link, const char *predictable,
		       char out[LINK_NAME_MAX])
{
	out[0] = '\0';
	for (unsigned i = 0; i < cfg->ifname_count; i++) {
		if (link->hwaddr_len == 6 && !memcmp(link->hwaddr, cfg->ifname[i].mac, 6)) {
			snprintf(out, LINK_NAME_MAX, "%s", cfg->ifname[i].name);
			return;
		}
	}
	if (!cfg->net_ifnames_off && predictable)
		snprintf(out, LINK_NAME_MAX, "%s", predictable);
}

static void predictable_name(const char *sys, const char *name, char out[NET_ID_NAME_MAX])
{
	static struct net_id_input in; /* large; the boot renames one link at a time */
	struct net_id_names names;
	out[0] = '\0';
	if (net_id_sysfs_read(sys, name, &in) || net_id_names(&in, &names) || net_id_choose(&names, out))
		out[0] = '\0';
}

void net_rename_links(struct link_ctx *ctx, const struct boot_config *cfg, const char *sys,
		      struct link_info *links, unsigned *n, struct net_renames *done)
{
	unsigned renamed = 0;
	done->n = 0;
	for (unsigned i = 0; i < *n; i++) {
		const struct link_info *l = &links[i];
		char predictable[NET_ID_NAME_MAX], want[LINK_NAME_MAX];
		if (l->arptype == ARPHRD_LOOPBACK || l->kind[0])
			continue; /* virtual links are named by whoever made them */
		predictable[0] = '\0';
		if (!cfg->net_ifnames_off)
			predictable_name(sys, l->name, predictable);
		net_rename_target(cfg, l, predictable, want);
		if (!want[0] || !strcmp(want, l->name))
			continue;
		int err = link_rename(ctx, l->ifindex, want);
		if (err) {
			log_warn("cannot rename %s to %s: %s; it keeps its name", l->name, want, strerror(-err));
			continue;
		}
		log_info("%s is now %s (%s)", l->name, want, strcmp(want, predictable) ? "ifname=" : "predictable name");
		snprintf(done->map[done->n].from, LINK_NAME_MAX, "%s", l->name);
		snprintf(done->map[done->n++].to, LINK_NAME_MAX, "%s", want);
		renamed++;
	}
	if (renamed) {
		int err = link_list(ctx, links, LINK_MAX, n);
		if (err)
			log_warn("cannot list links again after renaming: %s", strerror(-err));
	}
}

const char *net_rename_lookup(const struct net_renames *done, const char *name)
{
	for (unsigned i = 0; i < done->n; i++)
		if (!strcmp(done->map[i].from, name))
			return done->map[i].to;
	return name;
}
