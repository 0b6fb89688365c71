/*
 * program show SLUG [--yaml | --rev N]: a programme's settings as one
 * record (JSON nests the structured values; tables and CSV keep their
 * sentences), or the stored YAML of a version.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/program.h"
#include "core/rounds.h"
#include "ops/program.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

static void
add_duration(struct strbuf *sb, struct duration d)
{
	static const char *const unit[] = { "day", "week", "month", "year" };

	strbuf_addf(sb, "%d %s%s", d.n, unit[d.unit], d.n == 1 ? "" : "s");
}

static char *
duration_str(struct duration d)
{
	struct strbuf sb = STRBUF_INIT;

	add_duration(&sb, d);
	return strbuf_detach(&sb, NULL);
}

/* A number as the YAML has it: 20, 0.95, 2.5. */
static void
out_number(struct out *o, const char *col, double v)
{
	out_real(o, col, v, v == floor(v) ? 0 : v * 100 == floor(v * 100) ? 2 :
	    4);
}

static char *
goals_str(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->ngoals; i++) {
		const struct program_goal *g = &p->goals[i];

		strbuf_addf(&sb, "%s%s", i ? "; " : "", g->id);
		if (g->metric) {
			strbuf_addf(&sb, " (%s", g->metric);
			if (g->has_target)
				strbuf_addf(&sb, " %g", g->target);
			strbuf_addch(&sb, ')');
		}
	}
	return strbuf_detach(&sb, NULL);
}

static char *
criteria_str(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++) {
		const struct match_criterion *c = &p->matching.criteria[i];

		strbuf_addf(&sb, "%s%s %s", i ? "; " : "", c->attribute,
		    match_compare_name(c->compare));
		if (c->mentee_attribute)
			strbuf_addf(&sb, " %s", c->mentee_attribute);
		strbuf_addf(&sb, " x%g", c->weight);
		if (c->required)
			strbuf_addstr(&sb, " (required)");
	}
	return strbuf_detach(&sb, NULL);
}

/* "3 years of tenure; level 4 to 6; trainings mentor-basics", or "open". */
static char *
eligibility_str(const struct program_eligibility *e)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (e->has_min_tenure)
		strbuf_addf(&sb, "%g year%s of tenure", e->min_tenure_years,
		    e->min_tenure_years == 1 ? "" : "s");
	if (e->has_min_level && e->has_max_level)
		strbuf_addf(&sb, "%slevel %d to %d", sb.len ? "; " : "",
		    e->min_level, e->max_level);
	else if (e->has_min_level)
		strbuf_addf(&sb, "%slevel %d or above", sb.len ? "; " : "",
		    e->min_level);
	else if (e->has_max_level)
		strbuf_addf(&sb, "%slevel %d or below", sb.len ? "; " : "",
		    e->max_level);
	for (i = 0; i < e->ntrainings; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : sb.len ? "; trainings " :
		    "trainings ", e->trainings[i]);
	if (sb.len == 0)
		strbuf_addstr(&sb, "open (no rules)");
	return strbuf_detach(&sb, NULL);
}

static char *
exclusions_str(unsigned bits)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ EXCLUDE_SAME_MANAGER_LINE, "same_manager_line" },
		{ EXCLUDE_PREVIOUS_PARTNERS, "previous_partners" },
		{ EXCLUDE_SAME_DEPARTMENT, "same_department" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		if (bits & names[i].bit)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
			    names[i].name);
	return strbuf_detach(&sb, NULL);
}

/* The criteria whose zero contribution excludes a pair. */
static char *
required_str(const struct program *p)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++)
		if (p->matching.criteria[i].required)
			strbuf_addf(&sb, "%s%s %s", sb.len ? "; " : "",
			    p->matching.criteria[i].attribute,
			    match_compare_name(p->matching.criteria[i].compare));
	return strbuf_detach(&sb, NULL);
}

static void
nested_criteria(struct out *o, const struct program *p)
{
	static const struct out_col cols[] = {
		{ "attribute", OUT_STR }, { "mentee_attribute", OUT_STR },
		{ "compare", OUT_STR }, { "weight", OUT_REAL },
		{ "required", OUT_BOOL }, { "hours", OUT_REAL },
		{ "min_gap", OUT_INT }, { "max_gap", OUT_INT },
		{ "scale", OUT_REAL },
	};
	struct out *sub = out_nested(o, "criteria", cols, NELEM(cols));
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++) {
		const struct match_criterion *c = &p->matching.criteria[i];

		out_str(sub, "attribute", c->attribute);
		out_str(sub, "mentee_attribute", c->mentee_attribute ?
		    c->mentee_attribute : c->attribute);
		out_str(sub, "compare", match_compare_name(c->compare));
		out_number(sub, "weight", c->weight);
		out_bool(sub, "required", c->required);
		if (c->compare == COMPARE_WITHIN_HOURS)
			out_number(sub, "hours", c->hours);
		if (c->compare == COMPARE_MENTOR_ABOVE ||
		    c->compare == COMPARE_MENTEE_ABOVE)
			out_int(sub, "min_gap", c->min_gap);
		if (c->compare == COMPARE_WITHIN)
			out_int(sub, "max_gap", c->max_gap);
		if (c->compare == COMPARE_CLOSE)
			out_number(sub, "scale", c->scale);
		out_end_row(sub);
	}
	out_nested_end(o, sub);
}

static void
nested_goals(struct out *o, const struct program *p)
{
	static const struct out_col cols[] = {
		{ "id", OUT_STR }, { "statement", OUT_STR }, { "metric", OUT_STR },
		{ "target", OUT_REAL }, { "due", OUT_DATE },
	};
	struct out *sub = out_nested(o, "goals", cols, NELEM(cols));
	size_t i;

	for (i = 0; i < p->ngoals; i++) {
		const struct program_goal *g = &p->goals[i];

		out_str(sub, "id", g->id);
		out_str(sub, "statement", g->statement);
		out_str(sub, "metric", g->metric);
		if (g->has_target)
			out_number(sub, "target", g->target);
		out_date(sub, "due", g->due);
		out_end_row(sub);
	}
	out_nested_end(o, sub);
}

/* JSON: a duration as {"count":6,"unit":"months"}, the YAML's words. */
static void
nested_duration(struct out *o, const char *col, struct duration d)
{
	static const struct out_col cols[] = {
		{ "count", OUT_INT }, { "unit", OUT_STR },
	};
	static const char *const unit[] = { "days", "weeks", "months", "years" };
	struct out *sub = out_nested_record(o, col, cols, NELEM(cols));

	out_int(sub, "count", d.n);
	out_str(sub, "unit", unit[d.unit]);
	out_nested_end(o, sub);
}

/* JSON: the role's eligibility as its YAML keys; absent rules are null. */
static void
nested_eligibility(struct out *o, const char *col,
    const struct program_eligibility *e)
{
	static const struct out_col cols[] = {
		{ "min_tenure_years", OUT_REAL }, { "min_level", OUT_INT },
		{ "max_level", OUT_INT }, { "trainings", OUT_NESTED },
	};
	struct out *sub = out_nested_record(o, col, cols, NELEM(cols));

	if (e->has_min_tenure)
		out_number(sub, "min_tenure_years", e->min_tenure_years);
	if (e->has_min_level)
		out_int(sub, "min_level", e->min_level);
	if (e->has_max_level)
		out_int(sub, "max_level", e->max_level);
	out_strv(sub, "trainings", (const char *const *)e->trainings,
	    e->ntrainings);
	out_nested_end(o, sub);
}

/* JSON: the exclusions and required criteria as arrays of strings. */
static void
nested_lists(struct out *o, const struct program *p)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ EXCLUDE_SAME_MANAGER_LINE, "same_manager_line" },
		{ EXCLUDE_PREVIOUS_PARTNERS, "previous_partners" },
		{ EXCLUDE_SAME_DEPARTMENT, "same_department" },
	};
	const char *excl[NELEM(names)];
	char **req = xcalloc(p->matching.ncriteria + 1, sizeof *req);
	size_t i, n = 0;

	for (i = 0; i < NELEM(names); i++)
		if (p->matching.exclude & names[i].bit)
			excl[n++] = names[i].name;
	out_strv(o, "exclusions", excl, n);
	for (i = n = 0; i < p->matching.ncriteria; i++)
		if (p->matching.criteria[i].required)
			req[n++] = xasprintf("%s %s",
			    p->matching.criteria[i].attribute,
			    match_compare_name(p->matching.criteria[i].compare));
	out_strv(o, "required_criteria", (const char *const *)req, n);
	while (n > 0)
		free(req[--n]);
	free(req);
}

struct show_opts {
	bool yaml;
	long rev;
};

static const struct cmd_option show_options[] = {
	OPT_FLAG("yaml", struct show_opts, yaml,
	    "print the stored YAML of the current version"),
	OPT_INT("rev", "N", struct show_opts, rev, 1, 1000000, 0,
	    "print the stored YAML of version N"),
	OPT_END,
};

/* The stored text, even of a version that no longer validates. */
static int
show_yaml(struct ctx *ctx, const char *slug, int rev, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	long long id;
	char *yaml;

	if (ops_program_id(&o, slug, &id, err) != 0 ||
	    store_program_yaml(ctx->db, id, rev, &yaml, err) != 0)
		return -1;
	fputs(yaml, ctx->out);
	free(yaml);
	return 0;
}

static int
cmd_program_show_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	/* The columns of the first release first; new ones follow them. */
	static const struct out_col base[] = {
		{ "slug", OUT_STR }, { "name", OUT_STR }, { "purpose", OUT_STR },
		{ "format", OUT_STR }, { "owner", OUT_STR }, { "contact", OUT_STR },
		{ "sponsor", OUT_STR }, { "version", OUT_INT },
		{ "mentors", OUT_INT }, { "mentees", OUT_INT },
		{ "active_pairings", OUT_INT }, { "mentor_capacity", OUT_INT },
		{ "cycle_start", OUT_DATE }, { "cycle_length", OUT_STR },
		{ "checkin_every", OUT_STR }, { "consent", OUT_STR },
		{ "objective", OUT_STR }, { "min_score", OUT_REAL },
		{ "criteria", OUT_STR }, { "goals", OUT_STR },
		{ "updated_at", OUT_STR }, { "format_rules", OUT_STR },
		{ "mentor_eligibility", OUT_STR },
		{ "mentee_eligibility", OUT_STR }, { "exclusions", OUT_STR },
		{ "required_criteria", OUT_STR }, { "reup_opens", OUT_STR },
		{ "reup_closes", OUT_STR }, { "reup_default", OUT_STR },
	};
	const struct show_opts *opt = args->opts;
	struct ops_ctx oc = ops_of(ctx);
	struct program *p;
	long long id;
	struct out_col cols[NELEM(base)];
	struct program_row row;
	struct strbuf sb = STRBUF_INIT;
	struct out *o;
	char *s;
	size_t i;
	bool json = ctx->fmt == OUT_JSON;

	if (opt->yaml || opt->rev)
		return show_yaml(ctx, args->pos[0], (int)opt->rev, err);
	if (ops_program_load(&oc, args->pos[0], &id, &p, err) != 0)
		return -1;
	if (store_program_get(ctx->db, args->pos[0], &row, err) != 0) {
		program_free(p);
		return -1;
	}
	/*
	 * JSON: structured values nested (criteria and goals arrays of
	 * objects, durations and eligibility objects, lists arrays); tables
	 * and CSV keep their sentences.
	 */
	memcpy(cols, base, sizeof base);
	for (i = 0; json && i < NELEM(cols); i++)
		if (strcmp(cols[i].name, "criteria") == 0 ||
		    strcmp(cols[i].name, "goals") == 0 ||
		    strcmp(cols[i].name, "cycle_length") == 0 ||
		    strcmp(cols[i].name, "checkin_every") == 0 ||
		    strcmp(cols[i].name, "mentor_eligibility") == 0 ||
		    strcmp(cols[i].name, "mentee_eligibility") == 0 ||
		    strcmp(cols[i].name, "exclusions") == 0 ||
		    strcmp(cols[i].name, "required_criteria") == 0 ||
		    strcmp(cols[i].name, "reup_opens") == 0 ||
		    strcmp(cols[i].name, "reup_closes") == 0)
			cols[i].type = OUT_NESTED;
	o = cmd_record_new(ctx, cols, NELEM(cols));
	out_str(o, "slug", p->slug);
	out_str(o, "name", p->name);
	out_str(o, "purpose", program_purpose_name(p->purpose));
	out_str(o, "format", program_format_name(p->format));
	out_str(o, "owner", p->owner);
	out_str(o, "contact", p->contact);
	out_str(o, "sponsor", p->sponsor);
	out_int(o, "version", row.version);
	out_int(o, "mentors", row.mentors);
	out_int(o, "mentees", row.mentees);
	out_int(o, "active_pairings", row.active_pairings);
	out_int(o, "mentor_capacity", p->mentor.capacity);
	if (p->cycle.present)
		out_date(o, "cycle_start", p->cycle.start);
	/* A rotation's cycles are its periods, and it has no re-up. */
	if (p->format == FORMAT_ROTATIONAL) {
		if (json)
			nested_duration(o, "cycle_length", p->rotation.every);
		else {
			out_str(o, "cycle_length", s = duration_str(
			    p->rotation.every));
			free(s);
		}
	} else if (p->cycle.present && json) {
		nested_duration(o, "cycle_length", p->cycle.length);
		nested_duration(o, "reup_opens", p->cycle.reup_opens);
		nested_duration(o, "reup_closes", p->cycle.reup_closes);
	} else if (p->cycle.present) {
		out_str(o, "cycle_length", s = duration_str(p->cycle.length));
		free(s);
		strbuf_reset(&sb);
		add_duration(&sb, p->cycle.reup_opens);
		strbuf_addstr(&sb, " before the end");
		out_str(o, "reup_opens", sb.buf);
		strbuf_reset(&sb);
		add_duration(&sb, p->cycle.reup_closes);
		strbuf_addstr(&sb, " before the end");
		out_str(o, "reup_closes", sb.buf);
	}
	if (p->cycle.present && p->format != FORMAT_ROTATIONAL)
		out_str(o, "reup_default", p->cycle.reup_default ==
		    REUP_DEFAULT_CONTINUE ? "continue" : "exit");
	if (p->checkins.present && json) {
		nested_duration(o, "checkin_every", p->checkins.every);
	} else if (p->checkins.present) {
		out_str(o, "checkin_every", s = duration_str(p->checkins.every));
		free(s);
	}
	out_str(o, "consent", match_consent_name(p->matching.consent));
	out_str(o, "objective", match_objective_name(p->matching.objective));
	out_number(o, "min_score", p->matching.min_score);
	if (json) {
		nested_criteria(o, p);
		nested_goals(o, p);
	} else {
		out_str(o, "criteria", s = criteria_str(p));
		free(s);
		out_str(o, "goals", s = goals_str(p));
		free(s);
	}
	out_str(o, "updated_at", row.updated_at);
	out_str(o, "format_rules", s = rounds_format_text(p));
	free(s);
	if (json) {
		nested_eligibility(o, "mentor_eligibility",
		    &p->mentor.eligibility);
		nested_eligibility(o, "mentee_eligibility",
		    &p->mentee.eligibility);
		nested_lists(o, p);
	} else {
		out_str(o, "mentor_eligibility", s = eligibility_str(
		    &p->mentor.eligibility));
		free(s);
		out_str(o, "mentee_eligibility", s = eligibility_str(
		    &p->mentee.eligibility));
		free(s);
		out_str(o, "exclusions", s = exclusions_str(
		    p->matching.exclude));
		free(s);
		out_str(o, "required_criteria", s = required_str(p));
		free(s);
	}
	out_end_row(o);
	strbuf_release(&sb);
	program_row_free(&row);
	program_free(p);
	return cmd_out_end(o, err);
}

const struct cmd_entry cmd_program_show_entry = {
	.name = "program", .sub = "show", .usage = "SLUG [--yaml | --rev N]",
	.summary = "show a programme's settings, or its stored YAML",
	.example = "mentorctl program show eng-2027",
	CMD_OPTIONS(struct show_opts, show_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_program_show_exec,
};
