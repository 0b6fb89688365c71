/*
 * libFuzzer target: the csv, json and table writers.
 * Built and run by scripts/fuzz.sh (make fuzz); the body is fuzz_out() in
 * targets.c, which tests/unit/test_fuzz_regress.c replays under make check.
 */
#include "targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_out(data, size);
	return 0;
}
