/* Console and kernel-log output. Lines go to /dev/kmsg (timestamped, kept in dmesg) and to
 * stderr unless the kernel already echoes that level to the console, so nothing prints twice. */
#include "lib/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/small_file.h"

static int kmsg_fd = -1;
static int console_loglevel = 0; /* the kernel prints a kmsg line when its level is below this */
static int debug_enabled;

static int read_console_loglevel(void)
{
	char buf[32];
	if (small_file_read("/proc/sys/kernel/printk", buf, sizeof(buf)) <= 0)
		return 0;
	int level = 0;
	return sscanf(buf, "%d", &level) == 1 ? level : 0;
}

/* The kernel rate-limits /dev/kmsg writers to 10 lines per 5 s by default and drops the rest
 * without an error: a fatal path with a few warnings lost its last lines ("resetting (pci)").
 * As PID 1 we own the machine's console; printk.devkmsg= on the command line still wins
 * (the kernel then refuses this write). */
static void kmsg_no_ratelimit(void)
{
	int fd = open("/proc/sys/kernel/printk_devkmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)!write(fd, "on\n", 3);
	close(fd);
}

void log_init(void)
{
	if (getpid() == 1)
		kmsg_no_ratelimit();
	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	console_loglevel = kmsg_fd >= 0 ? read_console_loglevel() : 0;
}

void log_set_debug(int on)
{
	debug_enabled = on;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level == LOG_LEVEL_DEBUG && !debug_enabled)
		return;
	char line[512];
	int prefix = snprintf(line, sizeof(line), "<%d>ghostinit: ", (int)level);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line + prefix, sizeof(line) - (size_t)prefix - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)prefix + (n < 0 ? 0 : (size_t)n);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';

	int kernel_echoes = kmsg_fd >= 0 && (int)level < console_loglevel;
	if (kmsg_fd >= 0)
		(void)!write(kmsg_fd, line, len);
	if (!kernel_echoes) {
		const char *text = strchr(line, '>') + 1; /* the console gets no "<N>" level prefix */
		(void)!write(STDERR_FILENO, text, len - (size_t)(text - line));
	}
}
