/*
 * libFuzzer target: date parsing, formatting and calendar arithmetic.
 * Built and run by scripts/fuzz.sh (make fuzz); the body is fuzz_date() in
 * targets.c, which tests/unit/test_fuzz_regress.c replays under make check.
 */
#include "targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_date(data, size);
	return 0;
}
