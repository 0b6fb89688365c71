/*
 * libFuzzer target: a received message through io/mime (GMime), its text
 * through core/reply, its addresses and ids through core/token; the raw
 * bytes also through reply_parse and mime_html_to_text.
 * Built and run by scripts/fuzz.sh (make fuzz); the body is fuzz_reply() in
 * targets.c, which tests/unit/test_fuzz_regress.c replays under make check.
 */
#include "targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_reply(data, size);
	return 0;
}
