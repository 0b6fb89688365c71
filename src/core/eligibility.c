#include "core/eligibility.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "util/strbuf.h"

/* Training names are identifiers people retype: compare without case. */
static int
name_cmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca == cb && ca != '\0');
	return ca - cb;
}

void
elig_format_years(double years, char *buf, size_t size)
{
	/*
	 * Tenths by truncation, so that 2.96 is "2.9" and never "3.0" next to
	 * "< 3".  The epsilon absorbs binary fractions such as 1.4 stored as
	 * 1.39999...
	 */
	double t = trunc(years * 10.0 + (years >= 0 ? 1e-9 : -1e-9)) / 10.0;

	snprintf(buf, size, "%.1f", t == 0.0 ? 0.0 : t);
}

bool
elig_has_rules(const struct program_eligibility *rules)
{
	return rules->has_min_tenure || rules->has_min_level ||
	    rules->has_max_level || rules->ntrainings > 0;
}

static void
add_reason(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_reason(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	if (sb->len > 0)
		strbuf_addstr(sb, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

static void
check_training(struct strbuf *sb, const char *name,
    const struct elig_person *p, int today)
{
	char buf[DATE_BUFSZ];
	int best = DATE_NONE;
	size_t i;
	bool found = false;

	for (i = 0; i < p->ntrainings; i++) {
		const struct elig_training *t = &p->trainings[i];

		if (name_cmp(t->name, name) != 0)
			continue;
		found = true;
		if (t->completed_on != DATE_NONE &&
		    (best == DATE_NONE || t->completed_on < best))
			best = t->completed_on;
	}
	if (!found || best == DATE_NONE)
		add_reason(sb, "missing training %s", name);
	else if (best > today)
		add_reason(sb, "training %s not completed until %s", name,
		    date_format(best, buf));
}

static void
check_tenure(struct strbuf *sb, double min, const struct elig_person *p,
    int today)
{
	char have[32], buf[DATE_BUFSZ];
	double years;

	if (p->hired_on == DATE_NONE) {
		add_reason(sb, "no hire date");
		return;
	}
	if (p->hired_on > today) {
		add_reason(sb, "not hired until %s", date_format(p->hired_on, buf));
		return;
	}
	years = date_years_between(p->hired_on, today);
	if (years >= min)
		return;
	elig_format_years(years, have, sizeof have);
	add_reason(sb, "tenure %s < %g year%s", have, min, min == 1 ? "" : "s");
}

int
elig_evaluate(const struct program_eligibility *rules,
    const struct elig_person *p, int today, char **reason)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*reason = NULL;
	for (i = 0; i < rules->ntrainings; i++)
		check_training(&sb, rules->trainings[i], p, today);
	if (rules->has_min_tenure)
		check_tenure(&sb, rules->min_tenure_years, p, today);
	if ((rules->has_min_level || rules->has_max_level) && !p->has_level)
		add_reason(&sb, "no level");
	else if (rules->has_min_level && p->level < rules->min_level)
		add_reason(&sb, "level %d < %d", p->level, rules->min_level);
	else if (rules->has_max_level && p->level > rules->max_level)
		add_reason(&sb, "level %d > %d", p->level, rules->max_level);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return 1;
	}
	*reason = strbuf_detach(&sb, NULL);
	return 0;
}
