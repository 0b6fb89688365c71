#ifndef MENTORCTL_UTIL_XMALLOC_H
#define MENTORCTL_UTIL_XMALLOC_H

#include <stddef.h>
#include <stdlib.h>

/* Allocation that cannot fail: out of memory prints one line and exits 70. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes to hold at least want. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The same, by git's name: what src/ops uses, so that a grep for printf
 * there finds nothing but mistakes (ops/ never prints).
 */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A printf-like function's format check, for declarations in ops/. */
#define ATTR_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))

/* Ensure *arr (with *cap slots of size bytes) holds at least n elements. */
#define XGROW(arr, n, cap)                                                     \
	do {                                                                   \
		if ((size_t)(n) > (cap)) {                                     \
			size_t xg_new_ = (cap) ? (cap) : 8;                    \
			while (xg_new_ < (size_t)(n))                          \
				xg_new_ *= 2;                                  \
			(arr) = xreallocarray((arr), xg_new_, sizeof *(arr));  \
			(cap) = xg_new_;                                       \
		}                                                              \
	} while (0)

/*
 * qsort and bsearch for arrays that may be empty: C leaves qsort(NULL, 0, ...)
 * undefined (glibc declares the base nonnull and UBSan stops on it), and an
 * empty array is often a NULL pointer here.
 */
static inline void
xqsort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static inline void *
xbsearch(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	return n > 0 ? bsearch(key, base, n, size, cmp) : NULL;
}

#endif
