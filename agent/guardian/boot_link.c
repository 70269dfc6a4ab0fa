/* Leaves the boot link protected behind the initramfs (docs/shutdown.md, "The boot-link
 * guardian"): the systemd/NetworkManager/ifupdown drop-ins, then the guardian itself. */
#include "guardian/boot_link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guardian/guardian.h"
#include "guardian/guardian_env.h"
#include "guardian/link_protect.h"
#include "lib/log.h"
#include "lib/small_file.h"
#include "root/switch_root.h"

void boot_link_protect(const char *newroot)
{
	char text[2048];
	struct guardian_config g;
	memset(&g, 0, sizeof(g));
	ssize_t n = small_file_read(GUARDIAN_ENV_PATH, text, sizeof(text));
	if (n <= 0 || guardian_env_parse(text, (size_t)n, &g) != 0) {
		log_warn("boot link: no usable %s; the link is not guarded", GUARDIAN_ENV_PATH);
		return;
	}
	int err = link_protect_write("/run", newroot, g.ifname);
	if (err)
		log_warn("boot link: drop-ins for the network managers not written: %s", strerror(-err));
	int pid;
	err = guardian_spawn(SWITCH_ROOT_SHUTDOWN_DIR "/shutdown", &g, &pid);
	if (!err)
		log_info("boot link: %s guarded (pid %d), drop-ins in /run", g.ifname, pid);
	else if (err == -ETIMEDOUT)
		log_warn("boot link: guardian (pid %d) started but not watching %s after %d ms; drop-ins in /run",
			 pid, g.ifname, GUARDIAN_READY_MS);
	else if (err == -ECHILD)
		log_warn("boot link: guardian ended before it watched %s (twice): %s is not guarded; "
			 "its messages are above", g.ifname, g.ifname);
	else
		log_warn("boot link: guardian not started: %s; %s is not guarded", strerror(-err), g.ifname);
}
