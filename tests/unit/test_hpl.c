/* The HPL sizing rule (netboot/ghostwatch/jobs/hpl.c): N from the nodes' memory, the grid from their
 * cores, and the HPL.dat / hpccinf.txt it writes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../netboot/ghostwatch/jobs/hpl.h"

static const struct hpl_rule rule = { HPL_DEFAULT_FRACTION, HPL_DEFAULT_NB, 0 };

static void test_three_office_pcs(void **state)
{
	(void)state;
	/* 3 x 8 GiB, 4 cores: each keeps 819 MiB (10%), 7373 usable; 80% of 22119 MiB in doubles. */
	struct hpl_node n[3] = { { 8192, 4 }, { 8192, 4 }, { 8192, 4 } };
	struct hpl_size s;
	assert_int_equal(hpl_size(n, 3, &rule, &s), 0);
	assert_int_equal(s.usable_mib, 3 * (8192 - 819));
	/* sqrt(0.8 * 22119 * 2^20 / 8) = 48,162.6 -> 48,000, a multiple of 192 */
	assert_int_equal(s.n, 48000);
	assert_int_equal(s.n % 192, 0);
	assert_int_equal(s.p, 3);
	assert_int_equal(s.q, 4);
	assert_int_equal(s.nodes, 3);
}

static void test_overlay_and_reserve(void **state)
{
	(void)state;
	struct hpl_node small = { 256, 1 }, node = { 2048, 2 };
	assert_int_equal(hpl_usable_mib(&small, 0), 0); /* the minimum reserve takes it all */
	assert_int_equal(hpl_usable_mib(&node, 0), 2048 - 256);
	assert_int_equal(hpl_usable_mib(&node, 512), 2048 - 256 - 512);
	assert_int_equal(hpl_usable_mib(&node, 4096), 0);
	struct hpl_rule with_overlay = rule;
	with_overlay.overlay_mib = 512;
	struct hpl_node n[2] = { node, small };
	struct hpl_size a, b;
	assert_int_equal(hpl_size(n, 2, &rule, &a), 0);
	assert_int_equal(hpl_size(n, 2, &with_overlay, &b), 0);
	assert_true(b.n < a.n);
	assert_int_equal(a.nodes, 1); /* the 256 MiB node gives nothing and gets no rank */
	assert_int_equal(a.p * a.q, 2);
}

static void test_grids(void **state)
{
	(void)state;
	struct hpl_size s;
	/* ranks -> P: the most nearly square grid; a prime count can only be 1 x ranks */
	uint32_t cases[][2] = { { 1, 1 }, { 7, 1 }, { 12, 3 }, { 16, 4 }, { 36, 6 }, { 30, 5 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hpl_node n = { 65536, cases[i][0] };
		assert_int_equal(hpl_size(&n, 1, &rule, &s), 0);
		assert_int_equal(s.p, cases[i][1]);
		assert_int_equal((uint64_t)s.p * s.q, cases[i][0]);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	struct hpl_node n = { 4096, 2 }, tiny = { 257, 2 };
	struct hpl_size s;
	struct hpl_rule bad = rule;
	assert_int_equal(hpl_size(&n, 0, &rule, &s), -ENOENT); /* no node up */
	bad.nb = 1024; /* 1 MiB usable: N = 323, less than one block */
	assert_int_equal(hpl_size(&tiny, 1, &bad, &s), -ENOENT);
	bad.fraction = 0.99;
	assert_int_equal(hpl_size(&n, 1, &bad, &s), -EINVAL);
	bad = rule;
	bad.nb = 8;
	assert_int_equal(hpl_size(&n, 1, &bad, &s), -EINVAL);
}

static void test_dat(void **state)
{
	(void)state;
	struct hpl_size s = { 48000, 192, 3, 4, 3, 22119 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	hpl_dat_print(f, &s, &rule, 1);
	fclose(f);
	/* The lines HPL reads by position: 6 N, 8 NB, 11 P, 12 Q; hpcc's PTRANS after line 31. */
	char *line[40] = { 0 };
	int count = 0;
	for (char *save, *l = strtok_r(text, "\n", &save); l && count < 40; l = strtok_r(NULL, "\n", &save))
		line[count++] = l;
	assert_int_equal(count, 36);
	assert_int_equal(atoi(line[5]), 48000);
	assert_int_equal(atoi(line[7]), 192);
	assert_int_equal(atoi(line[10]), 3);
	assert_int_equal(atoi(line[11]), 4);
	assert_non_null(strstr(line[10], "Ps"));
	assert_non_null(strstr(line[30], "memory alignment"));
	assert_non_null(strstr(line[31], "(no. 32) is ignored"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_office_pcs),
		cmocka_unit_test(test_overlay_and_reserve),
		cmocka_unit_test(test_grids),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_dat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
