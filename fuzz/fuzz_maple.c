// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry point: the maple suite's op engine fed with the fuzzer's
 * bytes (maple_fuzz() in maple.c says how they decode).  A failed check
 * aborts, so that libFuzzer keeps the input; `./maple --from-fuzz FILE`
 * turns it into a replay file.  Built by `make fuzz`.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../runner.h"
#include "../slab_test.h"
#include "../test.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kernel_init();
	ctx_alloc(100016);
	/* The bytes alone decide what runs: no injected failures. */
	opts.nowait_fail = 0;
	opts.fail_rate = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { .data = data, .size = size };

	ctx_reset(maple_suite.name, 0);
	kernel_reset();
	slab_faults = (struct slab_faults){ 0 };
	if (!maple_suite.fuzz(&in) || ctx->failed) {
		fprintf(stderr, "maple fuzz: op %lu: %s\n", ctx->op_nr, ctx->msg);
		abort();
	}
	return 0;
}
