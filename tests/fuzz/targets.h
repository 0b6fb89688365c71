#ifndef MENTORCTL_TESTS_FUZZ_TARGETS_H
#define MENTORCTL_TESTS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The bodies of the fuzz targets, shared by the libFuzzer binaries
 * (tests/fuzz/fuzz_*.c) and by the regression test that replays
 * tests/fuzz/regress/TARGET/ and tests/fuzz/corpus/TARGET/ under `make check`
 * (tests/unit/test_fuzz_regress.c).  Each takes any bytes, must not crash or
 * leak, and checks the module's documented promises on what it produced; a
 * broken promise ends in FUZZ_FAIL(msg), which is abort() unless the
 * including file defines it first.
 */

void fuzz_yaml(const uint8_t *data, size_t size);
void fuzz_csv(const uint8_t *data, size_t size);
void fuzz_date(const uint8_t *data, size_t size);
void fuzz_out(const uint8_t *data, size_t size);
void fuzz_mail(const uint8_t *data, size_t size);
void fuzz_reply(const uint8_t *data, size_t size);

struct fuzz_target {
	const char *name;    /* tests/fuzz/{corpus,regress}/NAME */
	void (*fn)(const uint8_t *, size_t);
};

extern const struct fuzz_target fuzz_targets[];
extern const size_t fuzz_ntargets;

#endif
