/* rootspec: every root syntax (kernel, dracut, DHCP root-path, block tags), the server
 * fallbacks, ro/rw and version rules, the NFS text options, and malformed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <errno.h>

#include <cmocka.h>

#include "boot/cmdline.h"
#include "root/rootspec.h"

static struct boot_config cfg;
static struct rootspec spec;
static char err[ROOTSPEC_ERR_MAX];
static char opts[ROOTSPEC_OPTS_MAX];
static char source[ROOTSPEC_PATH_MAX + 32];

static uint32_t ip(const char *text)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, text, &a), 1);
	return a.s_addr;
}

/* DHCP facts as the network stage would pass them: client 10.0.2.15, server 10.0.2.2. */
static struct rootspec_facts dhcp(const char *root_path)
{
	struct rootspec_facts f = { 0 };
	f.client_ip = ip("10.0.2.15");
	f.next_server = ip("10.0.2.2");
	f.server_id = ip("10.0.2.3");
	f.root_path = root_path;
	f.root_path_len = root_path ? strlen(root_path) : 0;
	return f;
}

static int parse(const char *cmdline, const struct rootspec_facts *facts)
{
	struct cmdline_warnings w;
	cmdline_parse(cmdline, strlen(cmdline), &cfg, &w);
	int r = rootspec_parse(&cfg, facts, &spec, err, sizeof(err));
	if (r == 0) {
		if (spec.kind == ROOTSPEC_NFS) {
			assert_int_equal(rootspec_nfs_options(&spec, facts ? facts->client_ip : 0, opts, sizeof(opts)), 0);
			assert_int_equal(rootspec_nfs_source(&spec, source, sizeof(source)), 0);
		}
	}
	return r;
}

static void expect_error(const char *cmdline, const struct rootspec_facts *facts, const char *words)
{
	int r = parse(cmdline, facts);
	if (r == 0)
		fail_msg("'%s' was accepted", cmdline);
	if (!strstr(err, words))
		fail_msg("'%s': error '%s' does not say '%s'", cmdline, err, words);
}

static void test_kernel_nfsroot(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=/dev/nfs nfsroot=10.0.2.9:/srv/root rw", &f), 0);
	assert_int_equal(spec.kind, ROOTSPEC_NFS);
	assert_string_equal(source, "10.0.2.9:/srv/root");
	assert_int_equal(spec.version, 3);
	assert_false(spec.read_only);
	assert_string_equal(opts, "vers=3,addr=10.0.2.9,nolock,proto=tcp,mountproto=tcp");
	assert_string_equal(spec.source, "nfsroot=");
}

static void test_kernel_nfsroot_percent_s_and_dhcp_server(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=/dev/nfs nfsroot=/nodes/%s,port=2049,mountport=20048", &f), 0);
	assert_string_equal(source, "10.0.2.2:/nodes/10.0.2.15");
	assert_string_equal(opts, "vers=3,addr=10.0.2.2,nolock,proto=tcp,mountproto=tcp,port=2049,mountport=20048");
	assert_true(spec.read_only); /* the kernel's default without rw */
}

static void test_kernel_default_path(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=/dev/nfs", &f), 0);
	assert_string_equal(source, "10.0.2.2:/tftpboot/10.0.2.15");
}

static void test_nfsroot_without_root(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("nfsroot=10.1.2.3:/r", &f), 0);
	assert_string_equal(source, "10.1.2.3:/r");
}

static void test_server_fallback_order(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	f.peer = ip("10.9.9.9");
	assert_int_equal(parse("root=nfs:/r", &f), 0);
	assert_string_equal(source, "10.9.9.9:/r");
	f.peer = 0;
	assert_int_equal(parse("root=nfs:/r", &f), 0);
	assert_string_equal(source, "10.0.2.2:/r");
	f.next_server = 0;
	assert_int_equal(parse("root=nfs:/r", &f), 0);
	assert_string_equal(source, "10.0.2.3:/r");
	f.server_id = 0;
	expect_error("root=nfs:/r", &f, "no NFS server");
}

static void test_dracut_nfs(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=nfs:10.0.2.2:/export/root:port=2049,mountport=20048,rw", &f), 0);
	assert_string_equal(source, "10.0.2.2:/export/root");
	assert_int_equal(spec.version, 3);
	assert_false(spec.read_only);
	assert_string_equal(opts, "vers=3,addr=10.0.2.2,nolock,proto=tcp,mountproto=tcp,port=2049,mountport=20048");
	assert_string_equal(spec.source, "root=nfs:");
	/* old style: options after a comma */
	assert_int_equal(parse("root=nfs:10.0.2.2:/export/root,vers=4.1", &f), 0);
	assert_int_equal(spec.version, 4);
	assert_int_equal(spec.minor, 1);
	assert_string_equal(opts, "vers=4.1,addr=10.0.2.2,clientaddr=10.0.2.15");
}

static void test_dracut_nfs4(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=nfs4:10.0.2.2:/export", &f), 0);
	assert_int_equal(spec.version, 4);
	assert_int_equal(spec.minor, 2);
	assert_string_equal(opts, "vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.15");
	assert_int_equal(parse("root=nfs4:10.0.2.2:/export:minorversion=0", &f), 0);
	assert_string_equal(opts, "vers=4.0,addr=10.0.2.2,clientaddr=10.0.2.15");
	/* user options win over defaults of the same group */
	assert_int_equal(parse("root=nfs4:10.0.2.2:/export:clientaddr=10.0.2.99,soft", &f), 0);
	assert_string_equal(opts, "vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.99,soft");
}

static void test_user_options_win(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=nfs:10.0.2.2:/e:lock,udp,mountproto=udp", &f), 0);
	assert_string_equal(opts, "vers=3,addr=10.0.2.2,lock,udp,mountproto=udp");
	assert_int_equal(parse("root=nfs:10.0.2.2:/e:nfsvers=4 rootflags=timeo=50", &f), 0);
	assert_int_equal(spec.version, 4);
	assert_string_equal(opts, "vers=4.2,addr=10.0.2.2,clientaddr=10.0.2.15,timeo=50");
	assert_int_equal(parse("root=nfs4:10.0.2.2:/e:v3", &f), 0);
	assert_int_equal(spec.version, 3);
}

static void test_legacy_server_path(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=10.0.2.2:/export/root:rw", &f), 0);
	assert_int_equal(spec.kind, ROOTSPEC_NFS);
	assert_string_equal(source, "10.0.2.2:/export/root");
	assert_false(spec.read_only);
}

static void test_root_dhcp(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp("10.0.2.5:/roots/%s,vers=4.2");
	assert_int_equal(parse("root=dhcp", &f), 0);
	assert_string_equal(source, "10.0.2.5:/roots/10.0.2.15");
	assert_int_equal(spec.version, 4);
	assert_string_equal(spec.source, "DHCP root-path");
	f = dhcp("nfs4:/roots");
	assert_int_equal(parse("root=dhcp", &f), 0);
	assert_string_equal(source, "10.0.2.2:/roots");
	assert_int_equal(spec.version, 4);
	f = dhcp(NULL);
	expect_error("root=dhcp", &f, "no root-path");
}

/* One row of dracut's TEST-20-NFS: a command line, the root-path DHCP sends (NULL: none), and
 * the server, path, version and a user option dracut would mount with. */
struct dracut_case {
	const char *cmdline, *root_path, *source;
	unsigned version;
	const char *option; /* expected in the options, or NULL: no wsize= at all */
};

static void test_dracut_bare_forms(void **state)
{
	(void)state;
	static const struct dracut_case cases[] = {
		/* [server:]path[:opts] */
		{ "root=nfs", "/nfs/client", "10.0.2.2:/nfs/client", 3, NULL },
		{ "root=nfs", "10.0.2.5:/nfs/client", "10.0.2.5:/nfs/client", 3, NULL },
		{ "root=nfs4", "10.0.2.5:/client:wsize=4096", "10.0.2.5:/client", 4, "wsize=4096" },
		{ "root=/dev/nfs4", "/client", "10.0.2.2:/client", 4, NULL },
		{ "root=/dev/nfs4", "10.0.2.5:/client", "10.0.2.5:/client", 4, NULL },
		/* proto:server:path[:opts] */
		{ "root=nfs", "nfs:10.0.2.6:/nfs/client:wsize=4096", "10.0.2.6:/nfs/client", 3, "wsize=4096" },
		{ "root=nfs4", "nfs4:10.0.2.6:/client", "10.0.2.6:/client", 4, NULL },
		{ "root=/dev/nfs4", "nfs4:10.0.2.6:/client,wsize=4096", "10.0.2.6:/client", 4, "wsize=4096" },
		/* path,opts and server:path,opts */
		{ "root=nfs", "/nfs/client,wsize=4096", "10.0.2.2:/nfs/client", 3, "wsize=4096" },
		{ "root=nfs4", "/client,wsize=4096", "10.0.2.2:/client", 4, "wsize=4096" },
		{ "root=nfs4", "10.0.2.5:/client,wsize=4096", "10.0.2.5:/client", 4, "wsize=4096" },
		/* nfsroot= names the path (and wins over a root-path, as dracut's command line does) */
		{ "root=nfs nfsroot=/nfs/client", NULL, "10.0.2.2:/nfs/client", 3, NULL },
		{ "root=nfs nfsroot=/nfs/client,wsize=4096", "/other", "10.0.2.2:/nfs/client", 3, "wsize=4096" },
		{ "root=nfs4 nfsroot=/client", NULL, "10.0.2.2:/client", 4, NULL },
		{ "root=nfs4 nfsroot=10.0.2.5:/client", NULL, "10.0.2.5:/client", 4, NULL },
		{ "root=nfs4 nfsroot=/client,wsize=4096", NULL, "10.0.2.2:/client", 4, "wsize=4096" },
		{ "root=/dev/nfs4 nfsroot=10.0.2.5:/client:wsize=4096", NULL, "10.0.2.5:/client", 4, "wsize=4096" },
		/* root=dhcp with nfsroot= and no root-path, as dracut's tests boot it */
		{ "root=dhcp nfsroot=/nfs/client", NULL, "10.0.2.2:/nfs/client", 3, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct dracut_case *c = &cases[i];
		struct rootspec_facts f = dhcp(c->root_path);
		if (parse(c->cmdline, &f) != 0)
			fail_msg("'%s' with root-path '%s': %s", c->cmdline, c->root_path, err);
		assert_int_equal(spec.kind, ROOTSPEC_NFS);
		assert_string_equal(source, c->source);
		assert_int_equal(spec.version, c->version);
		assert_true(spec.read_only); /* dracut mounts ro unless told rw */
		if (c->option)
			assert_non_null(strstr(opts, c->option));
		else
			assert_null(strstr(opts, "wsize="));
		/* v3 always without locks (dracut: "Locks unsupported on NFSv{2,3}"); v4 keeps them */
		assert_true((strstr(opts, "nolock") != NULL) == (c->version == 3));
		assert_true(rootspec_needs_network(&cfg));
	}
}

static void test_dracut_bare_forms_server_and_errors(void **state)
{
	(void)state;
	/* the server when the path names none: ip='s peer, then next-server, then server-id */
	struct rootspec_facts f = dhcp("/r");
	f.peer = ip("10.0.2.9");
	assert_int_equal(parse("root=nfs4", &f), 0);
	assert_string_equal(source, "10.0.2.9:/r");
	f = dhcp("/r");
	f.next_server = 0;
	assert_int_equal(parse("root=nfs", &f), 0);
	assert_string_equal(source, "10.0.2.3:/r");
	assert_string_equal(spec.source, "DHCP root-path");
	/* rw on the command line, then in the options */
	f = dhcp("10.0.2.5:/r");
	assert_int_equal(parse("root=nfs4 rw", &f), 0);
	assert_false(spec.read_only);
	assert_int_equal(parse("root=nfs rw nfsroot=/r,ro", &f), 0);
	assert_true(spec.read_only);
	/* the version comes from root=, an option may still change it */
	assert_int_equal(parse("root=nfs rootflags=vers=4.1", &f), 0);
	assert_int_equal(spec.version, 4);
	assert_int_equal(spec.minor, 1);
	/* without a path from anywhere; a root-path that names the other protocol */
	f = dhcp(NULL);
	expect_error("root=nfs", &f, "root=nfs names no path");
	expect_error("root=/dev/nfs4", &f, "root=/dev/nfs4 names no path");
	f = dhcp("nfs4:10.0.2.5:/r");
	expect_error("root=nfs", &f, "root=nfs asks for NFSv3 but the DHCP root-path 'nfs4:10.0.2.5:/r' says NFSv4");
	f = dhcp("nfs:10.0.2.5:/r");
	expect_error("root=nfs4", &f, "says NFSv3");
	f = dhcp(NULL);
	f.next_server = f.server_id = 0;
	expect_error("root=nfs nfsroot=/r", &f, "no NFS server");
	/* needs the network before anything is known, and /dev/nfs4 is no block device */
	assert_int_equal(parse("root=/dev/nfs4", NULL), -EINVAL);
	assert_true(rootspec_needs_network(&cfg));
	assert_int_equal(parse("root=nfs4", NULL), -EINVAL);
	assert_true(rootspec_needs_network(&cfg));
	assert_int_equal(parse("root=/dev/nfs3", NULL), 0); /* not a dracut form: a device path */
	assert_false(rootspec_needs_network(&cfg));
}

static void test_bare_root_path(void **state)
{
	(void)state;
	/* option 17 may not be NUL-terminated: only root_path_len bytes count */
	char raw[] = { '/', 'r', 'o', 'o', 't', 'X' };
	struct rootspec_facts f = dhcp(NULL);
	f.root_path = raw;
	f.root_path_len = 5;
	assert_int_equal(parse("quiet", &f), 0);
	assert_string_equal(source, "10.0.2.2:/root");
	assert_int_equal(parse("root=/dev/nfs", &f), 0); /* no nfsroot=: the root-path */
	assert_string_equal(source, "10.0.2.2:/root");
	f = dhcp(NULL);
	assert_int_equal(parse("quiet", &f), -ENOENT);
	assert_non_null(strstr(err, "no root="));
	assert_int_equal(parse("quiet", NULL), -ENOENT);
}

static void test_overlay_read_only(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	assert_int_equal(parse("root=nfs:10.0.2.2:/e rw ghost.overlay=tmpfs", &f), 0);
	assert_true(spec.read_only);
	assert_int_equal(parse("root=nfs:10.0.2.2:/e:rw ghost.overlay=tmpfs:size=64m", &f), 0);
	assert_false(spec.read_only); /* the user's own option wins */
	assert_int_equal(parse("root=nfs:10.0.2.2:/e rw rootflags=ro", &f), 0);
	assert_true(spec.read_only);
}

static void test_block_roots(void **state)
{
	(void)state;
	assert_int_equal(parse("root=LABEL=ghost-root rootfstype=ext4 rootflags=data=ordered,rw", NULL), 0);
	assert_int_equal(spec.kind, ROOTSPEC_BLOCK);
	assert_int_equal(spec.tag, ROOTSPEC_TAG_LABEL);
	assert_string_equal(spec.device, "ghost-root");
	assert_string_equal(spec.fstype, "ext4");
	assert_string_equal(spec.block_opts, "data=ordered");
	assert_false(spec.read_only);
	assert_string_equal(rootspec_tag_name(spec.tag), "LABEL");

	assert_int_equal(parse("root=UUID=0b7c2a4e-5d1f-4bb1-9f10-1a2b3c4d5e6f", NULL), 0);
	assert_int_equal(spec.tag, ROOTSPEC_TAG_UUID);
	assert_string_equal(spec.device, "0b7c2a4e-5d1f-4bb1-9f10-1a2b3c4d5e6f");
	assert_string_equal(spec.fstype, "");
	assert_true(spec.read_only);

	assert_int_equal(parse("root=PARTUUID=1234abcd-01 rw", NULL), 0);
	assert_int_equal(spec.tag, ROOTSPEC_TAG_PARTUUID);
	assert_int_equal(parse("root=PARTLABEL=root", NULL), 0);
	assert_int_equal(spec.tag, ROOTSPEC_TAG_PARTLABEL);
	assert_int_equal(parse("root=/dev/vda1", NULL), 0);
	assert_int_equal(spec.tag, ROOTSPEC_TAG_PATH);
	assert_string_equal(spec.device, "/dev/vda1");
	assert_string_equal(rootspec_tag_name(spec.tag), "");
	assert_int_equal(parse("root=LABEL=a:b", NULL), 0); /* a colon inside a label is no server */
	assert_string_equal(spec.device, "a:b");
}

static void test_malformed(void **state)
{
	(void)state;
	struct rootspec_facts f = dhcp(NULL);
	expect_error("root=nfs:10.0.2.256:/e", &f, "server '10.0.2.256' is not an IPv4 address");
	expect_error("root=nfs:010.0.2.2:/e", &f, "server '010.0.2.2'");
	expect_error("root=nfs:server.example:/e", &f, "server 'server.example' is not an IPv4");
	expect_error("root=nfs:10.0.2.2:relative", &f, "path 'relative' is not absolute");
	expect_error("root=nfs:10.0.2.2:", &f, "path '' is not absolute");
	expect_error("root=nfs:[fd00::1]:/e", &f, "IPv6");
	expect_error("root=nfs:10.0.2.2:/e:vers=2", &f, "NFS version '2' is not supported");
	expect_error("root=nfs:10.0.2.2:/e:vers=4.7", &f, "NFS version '4.7'");
	expect_error("root=nfs:10.0.2.2:/e:minorversion=9", &f, "minorversion=9");
	expect_error("root=nfs:10.0.2.2:/e:bad;opt", &f, "option 'bad;opt'");
	expect_error("root=nfs:10.0.2.2:/e$x", &f, "character that is not allowed");
	expect_error("root=nfs:justtext", &f, "neither <server>:<path>");
	expect_error("root=/dev/nfs nfsroot=/x/%s", NULL, "client address is unknown");
	expect_error("root=sda1", &f, "not a device path");
	expect_error("root=/dev/", &f, "not a device path");
	expect_error("root=UUID=", &f, "empty value");
	expect_error("root=iscsi:10.0.0.1::::iqn", &f, "only NFS");
	expect_error("root=dhcp6", &f, "IPv6");
	expect_error("root=LABEL=x rootfstype=ext4;rm", &f, "rootfstype='ext4;rm'");
	expect_error("root=LABEL=x rootflags=a;b", &f, "rootflags=: option 'a;b'");
	struct rootspec_facts bad = dhcp("iscsi:1.2.3.4::::x");
	expect_error("root=dhcp", &bad, "DHCP root-path: server 'iscsi'");
}

static void test_long_values(void **state)
{
	(void)state;
	char line[600];
	struct rootspec_facts f = dhcp(NULL);
	/* a path that fills the boot_config field, then grows with %s: too long, said so */
	memset(line, 0, sizeof(line));
	strcpy(line, "root=nfs:10.0.2.2:/");
	size_t n = strlen(line);
	for (size_t i = 0; i < 120; i++, n += 2)
		memcpy(line + n, "%s", 2);
	expect_error(line, &f, "too long");
	/* options near the limit are truncated by neither side silently */
	char small[24];
	assert_int_equal(parse("root=nfs4:10.0.2.2:/e:soft", &f), 0);
	assert_int_equal(rootspec_nfs_options(&spec, f.client_ip, small, sizeof(small)), -ENOSPC);
	assert_int_equal(rootspec_nfs_source(&spec, small, 8), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_nfsroot),
		cmocka_unit_test(test_kernel_nfsroot_percent_s_and_dhcp_server),
		cmocka_unit_test(test_kernel_default_path),
		cmocka_unit_test(test_nfsroot_without_root),
		cmocka_unit_test(test_server_fallback_order),
		cmocka_unit_test(test_dracut_nfs),
		cmocka_unit_test(test_dracut_nfs4),
		cmocka_unit_test(test_user_options_win),
		cmocka_unit_test(test_legacy_server_path),
		cmocka_unit_test(test_root_dhcp),
		cmocka_unit_test(test_dracut_bare_forms),
		cmocka_unit_test(test_dracut_bare_forms_server_and_errors),
		cmocka_unit_test(test_bare_root_path),
		cmocka_unit_test(test_overlay_read_only),
		cmocka_unit_test(test_block_roots),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
