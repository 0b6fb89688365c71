#ifndef MENTORCTL_UTIL_UTF8_H
#define MENTORCTL_UTIL_UTF8_H

#include <stddef.h>

/*
 * Strict UTF-8 (RFC 3629: no overlong forms, surrogates or code points above
 * U+10FFFF).  Returns the length (1-4) of the valid sequence at s and stores
 * its code point in *cp; or -n for an invalid one, n (1-3) being the bytes of
 * its maximal invalid subpart, which the Unicode standard replaces with one
 * U+FFFD before resuming at s + n; 0 when len is 0.
 */
int utf8_decode(const char *s, size_t len, unsigned long *cp);

#endif
