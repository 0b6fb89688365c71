#include "util/utf8.h"

int
utf8_decode(const char *s, size_t len, unsigned long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long v;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t i, need;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	/*
	 * The second byte's range is what rules out overlong forms (C0, C1,
	 * E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and code points above
	 * U+10FFFF (F4 90-BF, F5-FF).
	 */
	if (p[0] < 0xC2) {
		return -1;
	} else if (p[0] < 0xE0) {
		need = 1;
		v = p[0] & 0x1F;
	} else if (p[0] < 0xF0) {
		need = 2;
		v = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;
		else if (p[0] == 0xED)
			hi = 0x9F;
	} else if (p[0] < 0xF5) {
		need = 3;
		v = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F;
	} else {
		return -1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi)
			return -(int)i;
		v = (v << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return (int)need + 1;
}
