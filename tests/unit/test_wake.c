/* The Wake-on-LAN magic packet and its sending (netboot/ghostwatch/power/wake.c), through a real
 * UDP socket on loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../netboot/ghostwatch/power/wake.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xce, 0x03, 0x01 };

static void test_packet(void **state)
{
	(void)state;
	uint8_t p[WAKE_PACKET_LEN];
	memset(p, 0, sizeof(p));
	wake_packet(mac, p);
	for (int i = 0; i < 6; i++)
		assert_int_equal(p[i], 0xff);
	for (int i = 0; i < 16; i++)
		assert_memory_equal(p + 6 + 6 * i, mac, 6);
}

static void test_send(void **state)
{
	(void)state;
	int rx = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(wake_send(mac, htonl(INADDR_LOOPBACK), ntohs(a.sin_port), NULL), 0);
	uint8_t got[256], want[WAKE_PACKET_LEN];
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(recv(rx, got, sizeof(got), 0), WAKE_PACKET_LEN);
	wake_packet(mac, want);
	assert_memory_equal(got, want, WAKE_PACKET_LEN);
	/* An interface that does not exist is an error, not a packet sent elsewhere. */
	assert_int_equal(wake_send(mac, htonl(INADDR_LOOPBACK), ntohs(a.sin_port), "nosuchif0"), -ENODEV);
	close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet),
		cmocka_unit_test(test_send),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
