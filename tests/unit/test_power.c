/* ghostwatch power's pure parts: the power list, the plan of each action per backend, the
 * argv of ipmitool and ssh (never a password in it), the credentials file, ipmitool's status
 * answer; and power_run's bound on a real child. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../netboot/ghostwatch/power/power_list.h"
#include "../../netboot/ghostwatch/power/power_plan.h"
#include "../../netboot/ghostwatch/power/power_run.h"

static int parse(const char *text, struct power_node *out, size_t cap, unsigned *line)
{
	return power_list_parse(text, strlen(text), out, cap, line);
}

static void test_list(void **state)
{
	(void)state;
	struct power_node n[4];
	unsigned line;
	const char *text = "# generated\n"
			   "n01 52:54:00:00:00:01 10.70.0.11 wol 10.70.255.255 br0\n"
			   "n02 52:54:00:00:00:02 - wol\n"
			   "n03 52:54:00:00:00:03 10.70.0.13 ipmi 10.70.1.3 # its BMC\n"
			   "n04 52:54:00:00:00:04 10.70.0.14 ipmi bmc-n04.example\n";
	assert_int_equal(parse(text, n, 4, &line), 4);
	assert_string_equal(n[0].name, "n01");
	assert_int_equal(n[0].backend, POWER_WOL);
	assert_int_equal(n[0].broadcast, inet_addr("10.70.255.255"));
	assert_string_equal(n[0].interface, "br0");
	assert_int_equal(n[1].ip, 0);
	assert_int_equal(n[1].broadcast, 0);
	assert_string_equal(n[1].interface, "");
	assert_int_equal(n[2].backend, POWER_IPMI);
	assert_string_equal(n[2].bmc, "10.70.1.3");
	assert_string_equal(n[3].bmc, "bmc-n04.example");
	assert_int_equal(parse(text, n, 3, &line), -E2BIG);
	struct power_list l = { n, 4 };
	assert_ptr_equal(power_list_find(&l, "n03"), &n[2]);
	assert_null(power_list_find(&l, "n05"));
}

static void test_list_bad(void **state)
{
	(void)state;
	struct power_node n[4];
	unsigned line;
	static const char *const bad[] = {
		"n1 52:54:00:00:00:01 10.0.0.1\n",                       /* no backend */
		"n1 52:54:00:00:00:01 10.0.0.1 ssh\n",                   /* not a backend */
		"n1 52:54:00:00:00:01 10.0.0.1 ipmi\n",                  /* no BMC */
		"n1 52:54:00:00:00:01 10.0.0.1 ipmi -oProxyCommand=x\n", /* an option, not a BMC */
		"n1 52:54:00:00:00:01 10.0.0.1 ipmi 10.0.1.1 extra\n",
		"n1 52:54:00:00:00:01 10.0.0.1 wol 10.0.255.255\n",      /* broadcast without interface */
		"n1 52:54:00:00:00:01 10.0.0.1 wol 10.0.255.255 -x\n",
		"n1 52:54:00:00:00:01 10.0.0.1 wol nonsense br0\n",
		"n1 52:54:00:00:00:0 10.0.0.1 wol\n",
		"-n1 52:54:00:00:00:01 10.0.0.1 wol\n",
		"n1 52:54:00:00:00:01 10.0.0.1 wol\nn1 52:54:00:00:00:02 - wol\n", /* a name twice */
		"n1 52:54:00:00:00:01 10.0.0.1 wol\nn2 52:54:00:00:00:01 - wol\n", /* a MAC twice */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], n, 4, &line), -EINVAL);
	assert_int_equal(parse("# x\n\nn1 52:54:00:00:00:01 - wol\nn2 zz - wol\n", n, 4, &line), -EINVAL);
	assert_int_equal(line, 4);
}

/* The ops of a plan, and where each outcome leads. */
static void expect(enum power_action a, enum power_backend b, int hard, const char *want)
{
	struct power_step s[POWER_STEPS_MAX];
	char got[256] = "";
	int n = power_plan(a, b, hard, s);
	assert_true(n > 0 && n <= POWER_STEPS_MAX);
	for (int i = 0; i < n; i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s%s(%d,%d)", i ? " " : "", power_op_name(s[i].op), s[i].on_ok,
			 s[i].on_fail);
		/* Every jump lands inside the plan. */
		assert_true(s[i].on_ok <= 0 || i + s[i].on_ok < n);
		assert_true(s[i].on_fail <= 0 || i + s[i].on_fail < n);
	}
	assert_string_equal(got, want);
}

static void test_plan(void **state)
{
	(void)state;
	expect(POWER_ON, POWER_WOL, 0, "magic packet(0,-1)");
	expect(POWER_ON, POWER_IPMI, 0, "chassis power on(0,-1)");
	expect(POWER_STATUS, POWER_WOL, 0, "ghostwatch state(0,-1)");
	expect(POWER_STATUS, POWER_IPMI, 0, "chassis power status(0,-1)");
	/* Off: the node's own init; an ipmi node that is not off within the bound is forced. */
	expect(POWER_OFF, POWER_WOL, 0, "ssh poweroff(0,-1)");
	expect(POWER_OFF, POWER_IPMI, 0,
	       "ssh poweroff(1,1) BMC says off(0,1) chassis power off(1,-1) BMC says off(0,-1)");
	expect(POWER_OFF, POWER_IPMI, 1, "chassis power off(1,-1) BMC says off(0,-1)");
	expect(POWER_REBOOT, POWER_WOL, 0, "ssh reboot(0,-1)");
	expect(POWER_REBOOT, POWER_IPMI, 0, "ssh reboot(0,1) chassis power reset(0,-1)");
	expect(POWER_REBOOT, POWER_IPMI, 1, "chassis power reset(0,-1)");
	/* Cycle: off, then on; a clean off goes straight to the power-on. */
	expect(POWER_CYCLE, POWER_WOL, 0, "ssh poweroff(1,-1) ghostwatch says down(1,-1) magic packet(0,-1)");
	expect(POWER_CYCLE, POWER_IPMI, 0, "ssh poweroff(1,1) BMC says off(3,1) chassis power off(1,-1) "
					   "BMC says off(1,-1) chassis power on(0,-1)");
	expect(POWER_CYCLE, POWER_IPMI, 1, "chassis power off(1,-1) BMC says off(1,-1) chassis power on(0,-1)");
	/* Without a BMC nothing but the node's init switches it off. */
	struct power_step s[POWER_STEPS_MAX];
	assert_int_equal(power_plan(POWER_OFF, POWER_WOL, 1, s), -ENOTSUP);
	assert_int_equal(power_plan(POWER_CYCLE, POWER_WOL, 1, s), -ENOTSUP);
	assert_int_equal(power_plan(POWER_REBOOT, POWER_WOL, 1, s), -ENOTSUP);
	assert_int_equal(power_action_parse("cycle"), POWER_CYCLE);
	assert_int_equal(power_action_parse("Off"), -EINVAL);
	assert_int_equal(power_action_parse(""), -EINVAL);
}

static void join(const char *const *argv, char *out, size_t len)
{
	out[0] = '\0';
	for (int i = 0; argv[i]; i++) {
		assert_true(i < POWER_ARGV_MAX);
		size_t used = strlen(out);
		snprintf(out + used, len - used, "%s%s", i ? " " : "", argv[i]);
	}
}

static void test_ipmi_argv(void **state)
{
	(void)state;
	const char *argv[POWER_ARGV_MAX];
	char line[512], user[POWER_USER_MAX + 1], password[POWER_PASSWORD_MAX + 1], cs_text[4];
	unsigned l;
	int cs;
	const char *cred = "# the cluster's BMCs\nuser admin\npassword s3cret pass#word\n";
	assert_int_equal(power_credentials_parse(cred, strlen(cred), user, password, &cs, &l), 0);
	assert_string_equal(user, "admin");
	assert_string_equal(password, "s3cret pass#word");
	assert_int_equal(cs, -1);
	static const enum power_op ops[] = { OP_IPMI_ON, OP_IPMI_OFF, OP_IPMI_RESET, OP_IPMI_STATUS, OP_WAIT_BMC_OFF };
	static const char *const words[] = { "on", "off", "reset", "status", "status" };
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(power_ipmi_argv(ops[i], "10.70.1.3", user, cs, cs_text, argv), 0);
		join(argv, line, sizeof(line));
		char want[256];
		snprintf(want, sizeof(want), "ipmitool -I lanplus -H 10.70.1.3 -U admin -E -N 1 -R 2 chassis power %s",
			 words[i]);
		assert_string_equal(line, want);
		/* The password is read from the environment, never an argument (ps shows argv). */
		for (int k = 0; argv[k]; k++) {
			assert_null(strstr(argv[k], "s3cret"));
			assert_string_not_equal(argv[k], "-P");
			assert_string_not_equal(argv[k], "-f");
		}
	}
	assert_int_equal(power_ipmi_argv(OP_WOL, "10.70.1.3", user, cs, cs_text, argv), -EINVAL);
	assert_int_equal(power_ipmi_argv(OP_SSH_POWEROFF, "10.70.1.3", user, cs, cs_text, argv), -EINVAL);
	/* A cipher suite from the file: -C before the command. */
	cred = "user admin\npassword s3cret\ncipher-suite 3\n";
	assert_int_equal(power_credentials_parse(cred, strlen(cred), user, password, &cs, &l), 0);
	assert_int_equal(cs, 3);
	assert_int_equal(power_ipmi_argv(OP_IPMI_ON, "bmc1", user, cs, cs_text, argv), 0);
	join(argv, line, sizeof(line));
	assert_string_equal(line, "ipmitool -I lanplus -H bmc1 -U admin -E -N 1 -R 2 -C 3 chassis power on");
}

static void test_ssh_argv(void **state)
{
	(void)state;
	const char *argv[POWER_ARGV_MAX];
	char buf[128], line[1024], want[1024];
	assert_int_equal(power_ssh_argv(OP_SSH_POWEROFF, "10.70.0.11", NULL, 10, buf, sizeof(buf), argv), 0);
	join(argv, line, sizeof(line));
	snprintf(want, sizeof(want), "ssh -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=5 -o "
				     "ServerAliveCountMax=2 -T -- root@10.70.0.11 %s", power_ssh_command(OP_SSH_POWEROFF));
	assert_string_equal(line, want);
	assert_non_null(strstr(power_ssh_command(OP_SSH_POWEROFF), "systemctl poweroff"));
	assert_non_null(strstr(power_ssh_command(OP_SSH_POWEROFF), "else poweroff"));
	assert_non_null(strstr(power_ssh_command(OP_SSH_REBOOT), "systemctl reboot"));
	assert_non_null(strstr(power_ssh_command(OP_SSH_REBOOT), "else reboot"));
	assert_int_equal(power_ssh_argv(OP_SSH_REBOOT, "10.70.0.11", "/etc/ghostboot/ssh_config", 3, buf, sizeof(buf), argv), 0);
	assert_string_equal(argv[1], "-F");
	assert_string_equal(argv[2], "/etc/ghostboot/ssh_config");
	assert_string_equal(argv[6], "ConnectTimeout=3");
	assert_int_equal(power_ssh_argv(OP_SSH_REBOOT, "-oProxyCommand=x", NULL, 3, buf, sizeof(buf), argv), -EINVAL);
	assert_int_equal(power_ssh_argv(OP_IPMI_ON, "10.70.0.11", NULL, 3, buf, sizeof(buf), argv), -EINVAL);
	assert_int_equal(power_ssh_argv(OP_SSH_REBOOT, "10.70.0.11", NULL, 3, buf, 20, argv), -ENOSPC);
}

static void test_credentials_bad(void **state)
{
	(void)state;
	char user[POWER_USER_MAX + 1], password[POWER_PASSWORD_MAX + 1];
	unsigned l;
	static const char *const bad[] = {
		"user admin\n",                                   /* no password */
		"password x\n",                                   /* no user */
		"user admin\nuser root\npassword x\n",            /* twice */
		"user admin\npassword 123456789012345678901\n",   /* past IPMI's 20 */
		"user 12345678901234567\npassword x\n",           /* past IPMI's 16 */
		"user admin\npass x\n",
		"user admin\npassword \n",
		"user admin\npassword x\ncipher-suite 18\n",
		"user admin\npassword x\ncipher-suite 3x\n",
		"user admin\npassword x\ncipher-suite 3\ncipher-suite 3\n",
	};
	int cs;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(power_credentials_parse(bad[i], strlen(bad[i]), user, password, &cs, &l), -EINVAL);
	assert_int_equal(power_credentials_parse("user a\nfoo\n", 11, user, password, &cs, &l), -EINVAL);
	assert_int_equal(l, 2);
}

static void test_status_answer(void **state)
{
	(void)state;
	assert_int_equal(power_ipmi_status_parse("Chassis Power is on\n"), 1);
	assert_int_equal(power_ipmi_status_parse("Chassis Power is off\n"), 0);
	assert_int_equal(power_ipmi_status_parse("Chassis Power is off"), 0);
	assert_int_equal(power_ipmi_status_parse("Chassis Power is onward\n"), -EINVAL);
	assert_int_equal(power_ipmi_status_parse("Error: Unable to establish IPMI v2 / RMCP+ session\n"), -EINVAL);
}

static void test_run(void **state)
{
	(void)state;
	struct power_run_result r;
	const char *ok[] = { "sh", "-c", "echo \"$IPMI_PASSWORD\"; exit 3", NULL };
	assert_int_equal(power_run(ok, "IPMI_PASSWORD", "pw", power_run_now_ms() + 5000, &r), 0);
	assert_int_equal(r.status, 3);
	assert_false(r.timed_out);
	assert_string_equal(r.output, "pw\n");
	/* A command that hangs, and a child of it holding the output: both end at the bound. */
	const char *hang[] = { "sh", "-c", "sleep 30 & sleep 30", NULL };
	int64_t t0 = power_run_now_ms();
	assert_int_equal(power_run(hang, NULL, NULL, t0 + 300, &r), 0);
	assert_true(r.timed_out);
	assert_true(power_run_now_ms() - t0 < 2000);
	const char *missing[] = { "ghostboot-no-such-program", NULL };
	assert_int_equal(power_run(missing, NULL, NULL, power_run_now_ms() + 5000, &r), 0);
	assert_int_equal(r.status, 127);
	assert_non_null(strstr(r.output, "cannot run ghostboot-no-such-program"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_bad),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_ipmi_argv),
		cmocka_unit_test(test_ssh_argv),
		cmocka_unit_test(test_credentials_bad),
		cmocka_unit_test(test_status_answer),
		cmocka_unit_test(test_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
