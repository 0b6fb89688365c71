/*
 * libFuzzer target: mail composition (header injection, encodings),
 * reminder texts and the iCalendar writer.
 * Built and run by scripts/fuzz.sh (make fuzz); the body is fuzz_mail() in
 * targets.c, which tests/unit/test_fuzz_regress.c replays under make check.
 */
#include "targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_mail(data, size);
	return 0;
}
