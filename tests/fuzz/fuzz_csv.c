/*
 * libFuzzer target: the CSV reader, from memory and streamed from a file.
 * Built and run by scripts/fuzz.sh (make fuzz); the body is fuzz_csv() in
 * targets.c, which tests/unit/test_fuzz_regress.c replays under make check.
 */
#include "targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_csv(data, size);
	return 0;
}
