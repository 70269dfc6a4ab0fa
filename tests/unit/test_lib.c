/* agent/lib/: the helpers every stage shares — spans and the one IPv4 rule, hex digits,
 * big-endian integers, retry jitter and backoff, the command-line reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "boot/boot_config_load.h"
#include "lib/be.h"
#include "lib/bounded.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/hex.h"
#include "lib/hostname.h"
#include "lib/jitter.h"
#include "lib/span.h"

static int ipv4(const char *text, uint32_t *out) { return span_ipv4(span_str(text, 64), out); }

static void test_span_ipv4(void **state)
{
	(void)state;
	uint32_t a = 0;
	assert_int_equal(ipv4("10.0.2.15", &a), 0);
	assert_int_equal(a, inet_addr("10.0.2.15"));
	assert_int_equal(ipv4("0.0.0.0", &a), 0);
	assert_int_equal(ipv4("255.255.255.255", &a), 0);
	static const char *const bad[] = { "010.0.0.1", "10.0.0.01", "00.0.0.0", "256.0.0.1", "1.2.3", "1.2.3.4.",
					   "1.2.3.4.5", "+1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1..2.3", "", "a.b.c.d",
					   "1.2.3.4000" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ipv4(bad[i], &a) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	/* A span is not a string: the bytes after it do not count. */
	assert_int_equal(span_ipv4((struct span){ "10.0.0.1:/srv", 8 }, &a), 0);
	assert_int_equal(a, inet_addr("10.0.0.1"));
}

static void test_span_walk(void **state)
{
	(void)state;
	struct span s = span_str("nfs4:10.0.0.1:/srv", 64);
	assert_true(span_prefix(s, "nfs4:"));
	assert_false(span_prefix(s, "nfs4:10.0.0.1:/srv/x"));
	assert_int_equal(span_find(s, ':'), 4);
	assert_int_equal(span_find(s, '#'), s.n);
	assert_true(span_eq(span_skip(s, 14), "/srv"));
	assert_int_equal(span_find((struct span){ NULL, 0 }, ':'), 0);
	assert_int_equal(span_str("abcdef", 3).n, 3);
}

static void test_hex(void **state)
{
	(void)state;
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('f'), 15);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_byte("a5"), 0xa5);
	assert_int_equal(hex_byte("A5"), 0xa5);
	assert_int_equal(hex_byte("5"), -1); /* the NUL is not a digit */
	assert_int_equal(hex_byte("x5"), -1);
	assert_int_equal(hex_byte("5x"), -1);
}

static void test_hostname(void **state)
{
	(void)state;
	char long_label[70], long_name[70];
	memset(long_label, 'a', 63);
	long_label[63] = '\0';
	assert_true(hostname_valid(long_label));
	long_label[63] = 'a', long_label[64] = '\0';
	assert_false(hostname_valid(long_label)); /* a label is at most 63 */
	memset(long_name, 'a', 64);
	long_name[20] = long_name[40] = '.';
	long_name[64] = '\0';
	assert_true(hostname_valid(long_name));
	long_name[64] = 'a', long_name[65] = '\0';
	assert_false(hostname_valid(long_name)); /* the report's 64 */
	assert_true(hostname_valid("n1"));
	assert_true(hostname_valid("0"));
	assert_true(hostname_valid("w-01.c2.example"));
	static const char *const bad[] = { "", "n1 slots=4", "slots=4", "#", "n1#x", "n1\nn2", "n\xc3\xa9",
					   "-a", "a-", "a.-b", "a-.b", ".a", "a.", "a..b", "a_b", "a/b", "a\t" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(hostname_valid(bad[i]));
}

static void test_be(void **state)
{
	(void)state;
	uint8_t b[8];
	be_put(b, 0x0102030405060708ull, 8);
	assert_memory_equal(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_int_equal(be_get(b, 8), 0x0102030405060708ull);
	be_put(b, 0xabcd1234u, 2);
	assert_memory_equal(b, "\x12\x34", 2);
	assert_int_equal(be_get(b, 2), 0x1234);
	assert_int_equal(be_get(b, 0), 0);
}

static void test_backoff_base(void **state)
{
	(void)state;
	assert_int_equal(backoff_base_ms(0, 250, 8000), 250);
	assert_int_equal(backoff_base_ms(1, 250, 8000), 500);
	assert_int_equal(backoff_base_ms(5, 250, 8000), 8000);
	assert_int_equal(backoff_base_ms(1000, 250, 8000), 8000); /* no overflow */
	assert_int_equal(backoff_base_ms(5, 1000, 32000), 32000);
	assert_int_equal(backoff_base_ms(3, 1000, 5000), 5000); /* capped, not the next doubling */
}

static void test_jitter_spreads(void **state)
{
	(void)state;
	/* Two nodes seeded at the same instant differ by their MACs. */
	struct jitter a = { 12345 }, b = { 12345 };
	jitter_mix(&a, (const uint8_t *)"\x52\x54\x00\x00\x00\x01", 6);
	jitter_mix(&b, (const uint8_t *)"\x52\x54\x00\x00\x00\x02", 6);
	assert_int_not_equal(jitter_next(&a), jitter_next(&b));
	struct jitter z = { 0 }; /* xorshift's fixed point is avoided */
	assert_int_not_equal(jitter_next(&z), 0);
	struct jitter s;
	jitter_seed(&s);
	uint32_t first = jitter_next(&s);
	assert_int_not_equal(first, jitter_next(&s));
}

/* PID 1's crash handler resets the machine; a bounded child that crashes must just die. */
static volatile int *handler_ran; /* shared with the children */

static void parent_crash_handler(int sig)
{
	(void)sig;
	*handler_ran = 1;
	_exit(0);
}

static int crash(void *arg)
{
	raise(*(int *)arg);
	return 0;
}

static void test_bounded_child_default_signals(void **state)
{
	(void)state;
	handler_ran = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(handler_ran != MAP_FAILED);
	for (unsigned i = 0; i < child_crash_signal_count; i++) {
		int sig = child_crash_signals[i];
		struct sigaction sa, old;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = parent_crash_handler;
		sigaction(sig, &sa, &old);
		*handler_ran = 0;
		int r = bounded_run(crash, &sig, deadline_in(5000));
		sigaction(sig, &old, NULL);
		assert_int_equal(r, -EINTR); /* ended by the signal, as a plain process */
		assert_int_equal(*handler_ran, 0);
	}
	munmap((void *)handler_ran, sizeof(int));
}

static void test_boot_config_load(void **state)
{
	(void)state;
	static struct boot_config cfg;
	struct cmdline_warnings w;
	assert_int_equal(boot_config_load("root=nfs:10.0.0.1:/r ghost.overlay=tmpfs", &cfg, &w), 0);
	assert_string_equal(cfg.root, "nfs:10.0.0.1:/r");
	assert_int_equal(cfg.overlay, OVERLAY_TMPFS);
	assert_int_equal(w.count, 0);
	assert_int_equal(boot_config_load("ghost.key=zz", &cfg, &w), 0);
	assert_int_equal(w.count, 1);
	assert_string_equal(cfg.key, "");
	/* Longer than any kernel's command line: cut, never overrun. */
	static char big[BOOT_CMDLINE_MAX * 2];
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "root=/dev/vda1 ", 15);
	assert_int_equal(boot_config_load(big, &cfg, &w), 0);
	assert_string_equal(cfg.root, "/dev/vda1");
	/* NULL: this machine's own /proc/cmdline, which a test host always has. */
	assert_int_equal(boot_config_load(NULL, &cfg, &w), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_ipv4),
		cmocka_unit_test(test_span_walk),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_be),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_backoff_base),
		cmocka_unit_test(test_jitter_spreads),
		cmocka_unit_test(test_boot_config_load),
		cmocka_unit_test(test_bounded_child_default_signals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
