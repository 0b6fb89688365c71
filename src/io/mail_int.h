#ifndef MENTORCTL_IO_MAIL_INT_H
#define MENTORCTL_IO_MAIL_INT_H

/* Private to src/io: what mail.c (headers) and mailtext.c (texts) share. */
#include "util/strbuf.h"

/*
 * Text for a header or a line of running text: control characters (CR
 * and LF above all, which would start a header of the attacker's choosing)
 * become spaces, space runs collapse, the ends are trimmed, invalid UTF-8
 * becomes U+FFFD.
 */
void mail_clean(const char *s, struct strbuf *out);

#endif
