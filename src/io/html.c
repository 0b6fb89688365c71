#include "io/html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io/out.h"

#define HTML_REPLACEMENT "\xEF\xBF\xBD"
/* The months chart shows the last three years at most; the table has all. */
#define HTML_MAX_MONTHS 36
/* Pairings and comments listed before pointing to csv for the rest. */
#define HTML_MAX_LISTED 100

void
html_escape(struct strbuf *sb, const char *s)
{
	const char *end;
	unsigned long cp;
	int k;

	if (s == NULL)
		return;
	end = s + strlen(s);
	while (s < end) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80) {
			k = utf8_decode(s, (size_t)(end - s), &cp);
			if (k > 0 && !(cp >= 0x80 && cp < 0xA0)) {
				strbuf_add(sb, s, (size_t)k);
			} else if (k < 0) {
				strbuf_addstr(sb, HTML_REPLACEMENT);
				k = -k;
			}
			s += k;
			continue;
		}
		switch (c) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		case '\t':
		case '\n':
			strbuf_addch(sb, c);
			break;
		default:
			if (c >= 0x20 && c != 0x7F)
				strbuf_addch(sb, c);
			break;
		}
		s++;
	}
}

void
html_write_text(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	html_escape(&sb, s);
	fwrite(sb.buf, 1, sb.len, fp);
	strbuf_release(&sb);
}

/* <tag class="cls">text</tag>, text escaped. */
static void
html_elem(FILE *fp, const char *tag, const char *cls, const char *text)
{
	if (cls)
		fprintf(fp, "<%s class=\"%s\">", tag, cls);
	else
		fprintf(fp, "<%s>", tag);
	html_write_text(fp, text);
	fprintf(fp, "</%s>", tag);
}

static bool
html_is_key(const char *s)
{
	static const char *const keys[] = {
		"role=", "department=", "about=", "cycle=", "reason=",
		"rating=", "pairing=", "group=", "goal=", "month=", "round=",
		NULL,
	};
	size_t i;

	for (i = 0; keys[i]; i++)
		if (strncmp(s, keys[i], strlen(keys[i])) == 0)
			return true;
	return false;
}

/*
 * A row's group in words for a sponsor: "role=mentee,department=Sales" is
 * "Mentees in Sales", "about=programme" "About the programme".
 */
static void
html_group_words(struct strbuf *sb, const char *group)
{
	const char *p = group, *eq, *end;
	bool first = true, role = false;

	if (group == NULL || strcmp(group, "all") == 0) {
		strbuf_addstr(sb, "All");
		return;
	}
	while (*p) {
		size_t klen, vlen;
		const char *v;

		eq = strchr(p, '=');
		if (eq == NULL) {
			strbuf_addstr(sb, p);
			return;
		}
		/* the value runs to the next ",key=" (a department may hold a comma) */
		for (end = eq + 1; *end && !(*end == ',' &&
		    html_is_key(end + 1)); end++)
			;
		klen = (size_t)(eq - p);
		v = eq + 1;
		vlen = (size_t)(end - v);
#define KEY(k) (klen == strlen(k) && strncmp(p, k, klen) == 0)
		if (KEY("role")) {
			strbuf_addstr(sb, strncmp(v, "mentor", vlen) == 0 ?
			    "Mentors" : "Mentees");
			role = true;
		} else if (KEY("department")) {
			strbuf_addstr(sb, role ? " in " : first ? "In " : ", in ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("about")) {
			strbuf_addstr(sb, strncmp(v, "programme", vlen) == 0 ?
			    "About the programme" : "About their pairing");
		} else if (KEY("cycle")) {
			strbuf_addstr(sb, first ? "Cycle " : ", cycle ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("reason")) {
			strbuf_addstr(sb, "Ended: ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("rating")) {
			strbuf_addstr(sb, "Rated ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("pairing")) {
			strbuf_addstr(sb, "Pairing ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("group")) {
			strbuf_addstr(sb, "Circle ");
			strbuf_add(sb, v, vlen);
		} else if (KEY("round")) {
			strbuf_addstr(sb, "Round ");
			strbuf_add(sb, v, vlen);
		} else {
			strbuf_add(sb, v, vlen);
		}
#undef KEY
		first = false;
		p = *end ? end + 1 : end;
	}
}

static void
html_group_cell(FILE *fp, const char *tag, const char *group)
{
	struct strbuf sb = STRBUF_INIT;

	html_group_words(&sb, group);
	if (strcmp(tag, "th") == 0)
		fputs("<th scope=\"row\">", fp);
	else
		fprintf(fp, "<%s>", tag);
	html_write_text(fp, sb.buf);
	fprintf(fp, "</%s>", tag);
	strbuf_release(&sb);
}

static const char html_style[] =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "color:#1a202c;background:#fff;margin:0 auto;max-width:1040px;"
    "padding:24px 32px;line-height:1.4}"
    "h1{font-size:26px;margin:0 0 4px}"
    "h2{font-size:19px;border-bottom:2px solid #e2e8f0;padding-bottom:4px;"
    "margin:32px 0 12px}"
    "h3{font-size:15px;margin:18px 0 8px}"
    ".sub{color:#4a5568;margin:0}"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e2e8f0;"
    "vertical-align:top}"
    "th{background:#f7fafc;font-weight:600}"
    "th.num{text-align:right}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}"
    ".card{border:1px solid #e2e8f0;border-radius:6px;padding:10px 14px;"
    "min-width:150px;flex:1}"
    ".card .v{font-size:22px;font-weight:600}"
    ".card .k{font-size:12px;color:#4a5568;text-transform:uppercase;"
    "letter-spacing:.03em}"
    ".card .d{font-size:12px;color:#4a5568}"
    ".badge{display:inline-block;border-radius:10px;padding:1px 8px;"
    "font-size:12px;font-weight:600;white-space:nowrap}"
    ".met{background:#c6f6d5;color:#22543d}"
    ".notmet{background:#fed7d7;color:#742a2a}"
    ".nodata{background:#edf2f7;color:#4a5568}"
    ".ontrack{background:#bee3f8;color:#1a365d}"
    ".atrisk{background:#feebc8;color:#7b341e}"
    ".late{color:#c53030}"
    ".note{color:#4a5568;font-style:italic}"
    "svg{display:block;max-width:100%;height:auto}"
    "svg text{font-family:inherit;font-size:12px;fill:#2d3748}"
    "ul.comments{padding-left:20px}"
    "ul.comments li{margin:4px 0}"
    "caption{text-align:left;font-weight:600;padding:4px 0;"
    "color:#1a202c}"
    ".bar{fill:#2b6cb0}.bar2{fill:#8a4b08}.bar3{fill:#276749}"
    ".tgt{stroke:#1a202c;stroke-width:2}"
    "footer{margin-top:40px;font-size:12px;color:#4a5568;"
    "border-top:1px solid #e2e8f0;padding-top:8px}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{padding:0;max-width:none}"
    "h2,h3,caption{break-after:avoid;page-break-after:avoid}"
    "section,svg,tr{break-inside:avoid;page-break-inside:avoid}"
    "thead{display:table-header-group}"
    ".card{border-color:#4a5568}}";

static const char *
html_label(const char *metric)
{
	static const struct {
		const char *metric;
		const char *label;
	} labels[] = {
		{ "match_rate", "Match rate" },
		{ "days_to_match", "Days to match" },
		{ "days_to_first_meeting", "Days to first meeting" },
		{ "checkin_adherence", "Check-in adherence" },
		{ "stalled_rate", "Stalled rate" },
		{ "reup_rate", "Re-up rate" },
		{ "early_closure_rate", "Early closure rate" },
		{ "satisfaction", "Satisfaction" },
		{ "retention", "Retention" },
		{ "flash_attendance", "Flash attendance" },
		{ "flash_coverage", "Flash coverage" },
		{ "session_date", "Session day" },
		{ "checkins", "Check-ins held" },
		{ "overdue", "Overdue pairings" },
		{ "stalled", "Stalled pairings" },
		{ "proposed", "Proposals pending" },
		{ "declined", "Proposals declined" },
		{ "expired", "Proposals expired" },
		{ "activated", "Pairings that turned active" },
		{ "active", "Active pairings" },
		{ "ended", "Ended pairings" },
		{ "early_closures", "Early closures" },
		{ "closure_reason", "Closure reason" },
		{ "responses", "Responses" },
		{ "average_rating", "Average rating" },
		{ "comments", "Comments" },
	};
	size_t i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].metric, metric) == 0)
			return labels[i].label;
	return metric;
}

static void
html_value_cell(FILE *fp, const struct metrics_row *row)
{
	char buf[METRICS_VALUE_BUFSZ];
	bool numeric;
	const char *v = metrics_value_text(row, true, buf, sizeof buf, &numeric);

	html_elem(fp, "td", numeric ? "num" : NULL, v);
}

static void
html_date_cell(FILE *fp, int day)
{
	char buf[DATE_BUFSZ];

	html_elem(fp, "td", NULL, day == DATE_NONE ? "" : date_format(day, buf));
}

static void
html_header(FILE *fp, const struct program *p, const struct metrics_report *r)
{
	char day[DATE_BUFSZ];

	date_format(r->as_of, day);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>", fp);
	html_write_text(fp, p->name ? p->name : p->slug);
	fprintf(fp, " - report as of %s</title>\n<style>%s</style>\n</head>\n"
	    "<body>\n<header>\n", day, html_style);
	html_elem(fp, "h1", NULL, p->name ? p->name : p->slug);
	fputs("\n<p class=\"sub\">", fp);
	html_write_text(fp, p->slug);
	fprintf(fp, " &middot; %s &middot; as of %s",
	    program_format_name(p->format), day);
	if (p->owner) {
		fputs(" &middot; owner ", fp);
		html_write_text(fp, p->owner);
	}
	if (p->sponsor) {
		fputs(" &middot; sponsor ", fp);
		html_write_text(fp, p->sponsor);
	}
	fputs("</p>\n</header>\n", fp);
}

/*
 * Goal progress: each goal's value against its target, with the due date;
 * the chart repeats the table above it, for those who see it.
 */
static void
html_goal_progress(FILE *fp, const struct metrics_rows *rows)
{
	const double left = 180, span = 420, bar = 16, step = 30;
	char v[METRICS_VALUE_BUFSZ], t[METRICS_VALUE_BUFSZ], d[DATE_BUFSZ];
	struct strbuf desc = STRBUF_INIT;
	size_t i, n = 0, k = 0;
	bool numeric;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].section, "goals") == 0 &&
		    rows->v[i].has_target && rows->v[i].value.state == METRICS_OK)
			n++;
	if (n == 0)
		return;
	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (strcmp(row->section, "goals") != 0 || !row->has_target ||
		    row->value.state != METRICS_OK)
			continue;
		strbuf_addf(&desc, "%s%s: %s of target %s, %s%s%s", desc.len ?
		    "; " : "", row->group + strlen("goal="),
		    metrics_value_text(row, true, v, sizeof v, &numeric),
		    metrics_target_text(row, true, t, sizeof t), row->status,
		    row->due != DATE_NONE ? ", due " : "", row->due != DATE_NONE ?
		    date_format(row->due, d) : "");
	}
	fputs("<h3>Progress toward the targets</h3>\n", fp);
	fprintf(fp, "<svg role=\"img\" aria-labelledby=\"gp-t gp-d\" "
	    "width=\"700\" height=\"%.0f\" viewBox=\"0 0 700 %.0f\">\n"
	    "<title id=\"gp-t\">Goal progress toward the targets</title>\n"
	    "<desc id=\"gp-d\">", n * step + 10, n * step + 10);
	html_write_text(fp, desc.buf);
	fputs("</desc>\n", fp);
	strbuf_release(&desc);
	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];
		double frac, y = 4 + (double)k * step;

		if (strcmp(row->section, "goals") != 0 || !row->has_target ||
		    row->value.state != METRICS_OK)
			continue;
		k++;
		/* The target sits at 2/3 of the span; lower-is-better reads the same way. */
		frac = row->target > 0 ? row->value.v / row->target : 0;
		if (frac > 1.5)
			frac = 1.5;
		fputs("<text x=\"0\" y=\"", fp);
		fprintf(fp, "%.1f\">", y + bar - 3);
		html_write_text(fp, row->group + strlen("goal="));
		fprintf(fp, "</text><rect class=\"bar\" x=\"%.0f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.0f\"/><line class=\"tgt\" "
		    "x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\">", left, y,
		    span * frac / 1.5, bar, left + span / 1.5, y - 2,
		    left + span / 1.5, y + bar + 2, left + span + 6, y + bar - 3);
		html_write_text(fp, metrics_value_text(row, true, v, sizeof v,
		    &numeric));
		fputs(" / ", fp);
		html_write_text(fp, metrics_target_text(row, true, t, sizeof t));
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

/* Over time: active pairings and the match rate at each month's end. */
static void
html_trend(FILE *fp, const struct metrics_report *r)
{
	const double left = 46, plot = 140, top = 14;
	struct strbuf desc = STRBUF_INIT;
	long long max = 1;
	double bw, width;
	size_t i;
	int c;

	if (r->ntrend < 2)
		return;
	for (i = 0; i < r->ntrend; i++)
		if (r->trend[i].active > max)
			max = r->trend[i].active;
	bw = 640.0 / (double)r->ntrend;
	if (bw > 48)
		bw = 48;
	width = left + bw * (double)r->ntrend + 10;
	fputs("<section>\n<h2>Over time</h2>\n", fp);
	for (c = 0; c < 2; c++) {
		strbuf_reset(&desc);
		for (i = 0; i < r->ntrend; i++) {
			const struct metrics_trend *t = &r->trend[i];

			if (c == 0)
				strbuf_addf(&desc, "%s%04d-%02d: %lld", i ? "; " : "",
				    t->year, t->month, t->active);
			else if (t->match_rate.state == METRICS_OK)
				strbuf_addf(&desc, "%s%04d-%02d: %.0f%%", desc.len ?
				    "; " : "", t->year, t->month,
				    t->match_rate.v * 100);
		}
		fprintf(fp, "<h3>%s</h3>\n<svg role=\"img\" "
		    "aria-labelledby=\"tr%d-t tr%d-d\" width=\"%.0f\" "
		    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
		    "<title id=\"tr%d-t\">%s</title>\n<desc id=\"tr%d-d\">%s"
		    "</desc>\n", c == 0 ? "Active pairings at each month's end" :
		    "Match rate at each month's end", c, c, width,
		    top + plot + 34, width, top + plot + 34, c, c == 0 ?
		    "Active pairings per month" : "Match rate per month", c,
		    desc.len ? desc.buf : "no data yet");
		fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
		    "y2=\"%.0f\" stroke=\"#4a5568\"/>\n", left, top + plot,
		    width - 5, top + plot);
		fprintf(fp, "<text x=\"0\" y=\"%.0f\">%s</text>\n", top + 4,
		    c == 0 ? "" : "100%");
		for (i = 0; i < r->ntrend; i++) {
			const struct metrics_trend *t = &r->trend[i];
			double x = left + bw * (double)i, h;

			if (c == 0)
				h = plot * (double)t->active / (double)max;
			else
				h = t->match_rate.state == METRICS_OK ?
				    plot * t->match_rate.v : 0;
			fprintf(fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>", c == 0 ? "bar" :
			    "bar3", x + 2, top + plot - h, bw - 4, h);
			if (r->ntrend <= 24 && c == 0)
				fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" "
				    "text-anchor=\"middle\">%lld</text>", x + bw / 2,
				    top + plot - h - 3, t->active);
			fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" "
			    "text-anchor=\"middle\">%02d</text>", x + bw / 2,
			    top + plot + 14, t->month);
			if (t->month == 1 || i == 0)
				fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\">%04d"
				    "</text>", x + 2, top + plot + 30, t->year);
			fputc('\n', fp);
		}
		fputs("</svg>\n", fp);
	}
	fputs("</section>\n", fp);
	strbuf_release(&desc);
}

/* The badge of a goal's status (the text is metrics_goal_status_name's). */
static const char *
html_badge(enum metrics_goal_status s)
{
	switch (s) {
	case METRICS_GOAL_MET:
		return "badge met";
	case METRICS_GOAL_NOT_MET:
		return "badge notmet";
	case METRICS_GOAL_ON_TRACK:
		return "badge ontrack";
	case METRICS_GOAL_AT_RISK:
		return "badge atrisk";
	case METRICS_GOAL_NO_DATA:
		break;
	}
	return "badge nodata";
}

/* The goals' rows are r->goals', in order. */
static void
html_goals(FILE *fp, const struct metrics_rows *rows, const struct program *p,
    const struct metrics_report *r)
{
	char buf[METRICS_VALUE_BUFSZ];
	size_t i, g = 0;

	fputs("<section>\n<h2>Goals</h2>\n", fp);
	if (p->ngoals == 0) {
		fputs("<p class=\"note\">The programme defines no goals.</p>\n"
		    "</section>\n", fp);
		return;
	}
	fputs("<table>\n<caption>The programme's goals, each judged on its "
	    "due date</caption>\n<thead><tr><th scope=\"col\">Goal</th>"
	    "<th scope=\"col\">Statement</th><th scope=\"col\">Metric</th>"
	    "<th scope=\"col\">Target</th><th scope=\"col\">Value</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\">Due</th></tr>"
	    "</thead>\n<tbody>\n", fp);
	for (i = 0; i < rows->n && g < p->ngoals && g < r->ngoals; i++) {
		const struct metrics_row *row = &rows->v[i];
		const struct program_goal *goal;
		enum metrics_goal_status st;
		const char *t;

		if (strcmp(row->section, "goals") != 0)
			continue;
		st = r->goals[g].status;
		goal = &p->goals[g++];
		fputs("<tr><th scope=\"row\">", fp);
		html_write_text(fp, goal->id);
		fputs("</th>", fp);
		html_elem(fp, "td", NULL, goal->statement ? goal->statement : "");
		html_elem(fp, "td", NULL, goal->metric ? html_label(goal->metric) :
		    "none");
		t = metrics_target_text(row, true, buf, sizeof buf);
		html_elem(fp, "td", "num", t ? t : "");
		html_value_cell(fp, row);
		fputs("<td>", fp);
		html_elem(fp, "span", html_badge(st),
		    metrics_goal_status_name(st));
		fputs("</td>", fp);
		fputs("<td>", fp);
		if (row->due != DATE_NONE)
			fputs(date_format(row->due, buf), fp);
		/* red only for a goal missed, never beside a met one (12.2) */
		if (row->detail && st == METRICS_GOAL_NOT_MET)
			fputs(" <span class=\"late\">missed by its due date"
			    "</span>", fp);
		else if (row->detail)
			html_elem(fp, "span", "note", row->detail);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
	html_goal_progress(fp, rows);
	fputs("</section>\n", fp);
}

static void
html_card(FILE *fp, const char *metric, struct metrics_value v,
    enum metrics_kind kind, const char *detail)
{
	struct metrics_row row;
	char buf[METRICS_VALUE_BUFSZ];
	bool numeric;

	memset(&row, 0, sizeof row);
	row.kind = kind;
	row.value = v;
	fputs("<div class=\"card\">", fp);
	html_elem(fp, "div", "k", html_label(metric));
	html_elem(fp, "div", "v", metrics_value_text(&row, true, buf,
	    sizeof buf, &numeric));
	if (detail)
		html_elem(fp, "div", "d", detail);
	fputs("</div>\n", fp);
}

static void
html_cards(FILE *fp, const struct metrics_report *r)
{
	char d[5][96];

	snprintf(d[0], sizeof d[0], "%lld of %lld eligible mentees",
	    r->match_rate.num, r->match_rate.den);
	snprintf(d[1], sizeof d[1], "%lld of %lld check-ins due",
	    r->checkin_adherence.num, r->checkin_adherence.den);
	snprintf(d[2], sizeof d[2], "%lld of %lld active pairings",
	    r->stalled_rate.num, r->stalled_rate.den);
	snprintf(d[3], sizeof d[3], "%lld of %lld mentees", r->retention.num,
	    r->retention.den);
	snprintf(d[4], sizeof d[4], "%lld of %lld that turned active",
	    r->early_closure_rate.num, r->early_closure_rate.den);
	fputs("<section>\n<h2>At a glance</h2>\n<div class=\"cards\">\n", fp);
	html_card(fp, "match_rate", r->match_rate, METRICS_RATE, d[0]);
	html_card(fp, "days_to_match", r->days_to_match, METRICS_DAYS,
	    "median");
	html_card(fp, "days_to_first_meeting", r->days_to_first_meeting,
	    METRICS_DAYS, "median");
	html_card(fp, "checkin_adherence", r->checkin_adherence, METRICS_RATE,
	    d[1]);
	html_card(fp, "stalled_rate", r->stalled_rate, METRICS_RATE, d[2]);
	html_card(fp, "reup_rate", r->reup_rate, METRICS_RATE, NULL);
	html_card(fp, "early_closure_rate", r->early_closure_rate, METRICS_RATE,
	    d[4]);
	html_card(fp, "satisfaction", r->satisfaction, METRICS_RATING,
	    "mean rating out of 5");
	html_card(fp, "retention", r->retention, METRICS_RATE, d[3]);
	fputs("</div>\n</section>\n", fp);
}

/* A horizontal bar with its value after it. */
static void
html_hbar(FILE *fp, double x, double y, double w, double h, const char *fill,
    long long value)
{
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"%s\" rx=\"2\"/>", x, y, w > 0 ? w : 0, h, fill);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%lld</text>\n", x + w + 6,
	    y + h - 3, value);
}

static void
html_funnel_chart(FILE *fp, const struct metrics_report *r)
{
	static const char *const stages[] = {
		"Enrolled", "Eligible", "Matched", "Active", "Ended",
	};
	/* both at least 4.5:1 on white (WCAG AA) */
	static const char *const colours[2] = { "#2b6cb0", "#8a4b08" };
	const struct metrics_funnel *f[2] = { &r->funnel[0], &r->funnel[1] };
	const double left = 100, span = 520, bar = 16, row = 48;
	long long v[2][5], max = 1;
	int s, k;

	for (k = 0; k < 2; k++) {
		v[k][0] = f[k]->enrolled;
		v[k][1] = f[k]->eligible;
		v[k][2] = f[k]->matched;
		v[k][3] = f[k]->active;
		v[k][4] = f[k]->ended;
		for (s = 0; s < 5; s++)
			if (v[k][s] > max)
				max = v[k][s];
	}
	fprintf(fp, "<svg role=\"img\" aria-label=\"Funnel of mentees and "
	    "mentors\" width=\"700\" height=\"%.0f\" viewBox=\"0 0 700 %.0f\">\n",
	    5 * row + 34, 5 * row + 34);
	for (s = 0; s < 5; s++) {
		double y = 8 + s * row;

		fprintf(fp, "<text x=\"0\" y=\"%.1f\">%s</text>\n", y + bar + 4,
		    stages[s]);
		for (k = 0; k < 2; k++)
			html_hbar(fp, left, y + k * (bar + 2),
			    span * (double)v[k][s] / (double)max, bar,
			    colours[k], v[k][s]);
	}
	fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" "
	    "fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">mentees</text>"
	    "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" "
	    "fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">mentors</text>\n</svg>\n",
	    left, 5 * row + 16, colours[0], left + 18, 5 * row + 26,
	    left + 100, 5 * row + 16, colours[1], left + 118, 5 * row + 26);
}

static void
html_funnel(FILE *fp, const struct metrics_report *r,
    const struct metrics_input *in)
{
	size_t i;

	fputs("<section>\n<h2>Funnel</h2>\n", fp);
	html_funnel_chart(fp, r);
	fputs("<table>\n<caption>Mentees and mentors from enrollment to "
	    "their pairings, by department</caption>\n<thead><tr>"
	    "<th scope=\"col\">Group</th>"
	    "<th scope=\"col\" class=\"num\">Enrolled</th>"
	    "<th scope=\"col\" class=\"num\">Eligible</th>"
	    "<th scope=\"col\" class=\"num\">Matched</th>"
	    "<th scope=\"col\" class=\"num\">Active</th>"
	    "<th scope=\"col\" class=\"num\">Ended</th>"
	    "<th scope=\"col\" class=\"num\">Withdrawn</th></tr></thead>\n"
	    "<tbody>\n", fp);
	for (i = 0; i < r->nfunnel; i++) {
		const struct metrics_funnel *f = &r->funnel[i];
		char *g = metrics_funnel_group(f, in);

		fputs("<tr>", fp);
		html_group_cell(fp, "th", g);
		fprintf(fp, "<td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		    "<td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		    "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
		    f->enrolled, f->eligible, f->matched, f->active, f->ended,
		    f->withdrawn);
		free(g);
	}
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

static void
html_months_chart(FILE *fp, const struct metrics_report *r)
{
	const double left = 40, plot = 160, top = 16;
	size_t first = r->nmonths > HTML_MAX_MONTHS ?
	    r->nmonths - HTML_MAX_MONTHS : 0, n = r->nmonths - first, i;
	double bw, width;
	long long max = 1;

	if (n == 0) {
		fputs("<p class=\"note\">No check-ins recorded yet.</p>\n", fp);
		return;
	}
	for (i = first; i < r->nmonths; i++)
		if (r->months[i].n > max)
			max = r->months[i].n;
	bw = 640.0 / (double)n;
	if (bw > 48)
		bw = 48;
	width = left + bw * (double)n + 10;
	fprintf(fp, "<svg role=\"img\" aria-label=\"Check-ins per month\" "
	    "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
	    width, top + plot + 40, width, top + plot + 40);
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#a0aec0\"/>\n", left, top + plot, width - 5, top + plot);
	fprintf(fp, "<text x=\"0\" y=\"%.0f\">%lld</text><text x=\"0\" "
	    "y=\"%.0f\">0</text>\n", top + 4, max, top + plot);
	for (i = first; i < r->nmonths; i++) {
		const struct metrics_month *m = &r->months[i];
		double x = left + bw * (double)(i - first);
		double h = plot * (double)m->n / (double)max;

		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#2f855a\"><title>%04d-%02d: %lld"
		    "</title></rect>", x + 2, top + plot - h, bw - 4, h,
		    m->year, m->month, m->n);
		if (n <= 24 && m->n > 0)
			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%lld</text>", x + bw / 2,
			    top + plot - h - 3, m->n);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">"
		    "%02d</text>", x + bw / 2, top + plot + 14, m->month);
		if (m->month == 1 || i == first)
			fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\">%04d</text>",
			    x + 2, top + plot + 30, m->year);
		fputc('\n', fp);
	}
	fputs("</svg>\n", fp);
}

static void
html_rows_table(FILE *fp, const struct metrics_rows *rows, const char *section,
    const char *const *skip, const char *caption)
{
	size_t i, k;
	bool any = false;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];
		bool skipped = false;

		if (strcmp(row->section, section) != 0)
			continue;
		for (k = 0; skip && skip[k]; k++)
			if (strcmp(skip[k], row->metric) == 0)
				skipped = true;
		if (skipped)
			continue;
		if (!any)
			fprintf(fp, "<table>\n<caption>%s</caption>\n<thead><tr>"
			    "<th scope=\"col\">Metric</th><th scope=\"col\">"
			    "Group</th><th scope=\"col\">Value</th>"
			    "<th scope=\"col\">Detail</th></tr></thead>\n"
			    "<tbody>\n", caption);
		any = true;
		fputs("<tr><th scope=\"row\">", fp);
		html_write_text(fp, html_label(row->metric));
		fputs("</th>", fp);
		html_group_cell(fp, "td", row->group);
		html_value_cell(fp, row);
		html_elem(fp, "td", NULL, row->detail ? row->detail : "");
		fputs("</tr>\n", fp);
	}
	if (any)
		fputs("</tbody>\n</table>\n", fp);
}

static void
html_flagged(FILE *fp, const struct metrics_rows *rows)
{
	char buf[METRICS_VALUE_BUFSZ];
	size_t i, n = 0;
	bool any = false;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];
		bool numeric;

		if (strcmp(row->metric, "overdue_pairing") != 0 &&
		    strcmp(row->metric, "stalled_pairing") != 0)
			continue;
		if (n++ >= HTML_MAX_LISTED)
			continue;
		if (!any)
			fputs("<h3>Overdue and stalled pairings</h3>\n<table>\n"
			    "<caption>Pairings that need the coordinator"
			    "</caption>\n<thead><tr><th scope=\"col\">Pairing"
			    "</th><th scope=\"col\">Status</th>"
			    "<th scope=\"col\">Check-in owed</th>"
			    "<th scope=\"col\">Late / missed</th>"
			    "<th scope=\"col\">Partners</th></tr></thead>\n"
			    "<tbody>\n", fp);
		any = true;
		fputs("<tr>", fp);
		html_group_cell(fp, "th", row->group);
		html_elem(fp, "td", "late", row->status);
		html_date_cell(fp, row->due);
		html_elem(fp, "td", "num", metrics_value_text(row, true, buf,
		    sizeof buf, &numeric));
		html_elem(fp, "td", NULL, row->detail ? row->detail : "");
		fputs("</tr>\n", fp);
	}
	if (any)
		fputs("</tbody>\n</table>\n", fp);
	if (n > HTML_MAX_LISTED)
		fprintf(fp, "<p class=\"note\">... and %zu more (mentorctl report "
		    "--format csv lists them all).</p>\n", n - HTML_MAX_LISTED);
}

static void
html_checkins(FILE *fp, const struct metrics_report *r,
    const struct metrics_rows *rows)
{
	static const char *const skip[] = {
		"checkins_in_month", "overdue_pairing", "stalled_pairing", NULL,
	};

	fputs("<section>\n<h2>Check-ins</h2>\n<h3>Check-ins per month</h3>\n",
	    fp);
	html_months_chart(fp, r);
	html_rows_table(fp, rows, "checkins", skip, "Check-in figures");
	html_flagged(fp, rows);
	fputs("</section>\n", fp);
}

static void
html_ratings_chart(FILE *fp, const struct metrics_report *r)
{
	const double left = 60, span = 500, bar = 20, row = 28;
	long long max = 1;
	int s;

	if (r->responses.state != METRICS_OK) {
		fputs("<p class=\"note\">Ratings are not shown: " METRICS_HIDDEN_TEXT
		    ".</p>\n", fp);
		return;
	}
	for (s = 0; s < 5; s++)
		if (r->ratings[s] > max)
			max = r->ratings[s];
	fprintf(fp, "<svg role=\"img\" aria-label=\"Ratings distribution\" "
	    "width=\"640\" height=\"%.0f\" viewBox=\"0 0 640 %.0f\">\n",
	    5 * row + 8, 5 * row + 8);
	for (s = 5; s >= 1; s--) {
		double y = 4 + (5 - s) * row;

		fprintf(fp, "<text x=\"0\" y=\"%.1f\">%d of 5</text>", y + bar - 5,
		    s);
		html_hbar(fp, left, y, span * (double)r->ratings[s - 1] /
		    (double)max, bar, "#805ad5", r->ratings[s - 1]);
	}
	fputs("</svg>\n", fp);
}

static void
html_feedback(FILE *fp, const struct metrics_report *r,
    const struct metrics_rows *rows)
{
	static const char *const skip[] = { "ratings", "comment", NULL };
	size_t i;

	fputs("<section>\n<h2>Feedback</h2>\n<p class=\"note\">Figures drawn "
	    "from fewer than 3 responses are not shown.</p>\n"
	    "<h3>Ratings</h3>\n", fp);
	html_ratings_chart(fp, r);
	html_rows_table(fp, rows, "feedback", skip, "Feedback figures "
	    "(from published windows of at least 3 responses)");
	if (r->responses.state == METRICS_OK && r->ncomments > 0) {
		fputs("<h3>Comments</h3>\n<ul class=\"comments\">\n", fp);
		for (i = 0; i < r->ncomments && i < HTML_MAX_LISTED; i++) {
			html_elem(fp, "li", NULL, r->comments[i]);
			fputc('\n', fp);
		}
		fputs("</ul>\n", fp);
		if (r->ncomments > HTML_MAX_LISTED)
			fprintf(fp, "<p class=\"note\">... and %zu more comments "
			    "(mentorctl report --format csv lists them all).</p>\n",
			    r->ncomments - HTML_MAX_LISTED);
	}
	fputs("</section>\n", fp);
}

/*
 * Format flash: seats and attendance in all and per round, one line each
 * (metrics_rows_build gives the five figures of a group in the order of
 * the columns), then the session's day and coverage.
 */
static bool
html_flash_line(const struct metrics_rows *rows, size_t i,
    const char *const *cols)
{
	size_t k;

	for (k = 0; cols[k] != NULL; k++)
		if (i + k >= rows->n ||
		    strcmp(rows->v[i + k].section, "flash") != 0 ||
		    strcmp(rows->v[i + k].metric, cols[k]) != 0 ||
		    strcmp(rows->v[i + k].group, rows->v[i].group) != 0)
			return false;
	return true;
}

static void
html_flash(FILE *fp, const struct metrics_rows *rows)
{
	static const char *const skip[] = {
		"seated", "attended", "absent", "unrecorded", "attendance_rate",
		NULL,
	};
	size_t i, k;
	bool any = false;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];

		if (!html_flash_line(rows, i, skip))
			continue;
		if (!any)
			fputs("<section>\n<h2>Flash session</h2>\n<table>\n"
			    "<caption>Seats and attendance: mentees in all, "
			    "seats in each round</caption>\n<thead><tr>"
			    "<th scope=\"col\">Group</th>"
			    "<th scope=\"col\" class=\"num\">Seated</th>"
			    "<th scope=\"col\" class=\"num\">Attended</th>"
			    "<th scope=\"col\" class=\"num\">Absent</th>"
			    "<th scope=\"col\" class=\"num\">Not recorded</th>"
			    "<th scope=\"col\" class=\"num\">Attendance rate"
			    "</th><th scope=\"col\">Detail</th></tr></thead>\n"
			    "<tbody>\n", fp);
		any = true;
		fputs("<tr>", fp);
		html_group_cell(fp, "th", row->group);
		for (k = 0; skip[k] != NULL; k++)
			html_value_cell(fp, &rows->v[i + k]);
		/* the rate's detail: "3 of 4 seated mentees came" */
		html_elem(fp, "td", NULL, rows->v[i + k - 1].detail ?
		    rows->v[i + k - 1].detail : "");
		fputs("</tr>\n", fp);
	}
	if (!any)
		return;
	fputs("</tbody>\n</table>\n", fp);
	html_rows_table(fp, rows, "flash", skip, "The session's day and "
	    "coverage");
	fputs("</section>\n", fp);
}

/*
 * The section of another model (network, sessions), when the programme
 * has one: its rows with their targets and statuses.
 */
static void
html_model(FILE *fp, const struct metrics_rows *rows, const char *section,
    const char *title)
{
	char buf[METRICS_VALUE_BUFSZ];
	size_t i;
	bool any = false;

	for (i = 0; i < rows->n; i++) {
		const struct metrics_row *row = &rows->v[i];
		const char *target;

		if (strcmp(row->section, section) != 0)
			continue;
		if (!any)
			fprintf(fp, "<section>\n<h2>%s</h2>\n<table>\n"
			    "<caption>%s: each figure, with its goal's target "
			    "and status where one measures it</caption>\n"
			    "<thead><tr><th scope=\"col\">Metric</th>"
			    "<th scope=\"col\">Group</th>"
			    "<th scope=\"col\">Value</th>"
			    "<th scope=\"col\">Target</th>"
			    "<th scope=\"col\">Status</th>"
			    "<th scope=\"col\">Detail</th></tr></thead>\n"
			    "<tbody>\n", title, title);
		any = true;
		fputs("<tr><th scope=\"row\">", fp);
		html_write_text(fp, html_label(row->metric));
		fputs("</th>", fp);
		html_group_cell(fp, "td", row->group);
		html_value_cell(fp, row);
		target = metrics_target_text(row, true, buf, sizeof buf);
		html_elem(fp, "td", "num", target ? target : "");
		html_elem(fp, "td", NULL, row->status);
		html_elem(fp, "td", NULL, row->detail ? row->detail : "");
		fputs("</tr>\n", fp);
	}
	if (any)
		fputs("</tbody>\n</table>\n</section>\n", fp);
}

int
html_report_write(FILE *fp, const struct program *p,
    const struct metrics_input *in, const struct metrics_report *r,
    const struct metrics_rows *rows)
{
	html_header(fp, p, r);
	html_goals(fp, rows, p, r);
	html_cards(fp, r);
	html_trend(fp, r);
	html_funnel(fp, r, in);
	fputs("<section>\n<h2>Matching</h2>\n", fp);
	html_rows_table(fp, rows, "matching", NULL, "Matching figures");
	fputs("</section>\n", fp);
	html_flash(fp, rows);
	html_checkins(fp, r, rows);
	fputs("<section>\n<h2>Cycles and closures</h2>\n", fp);
	html_rows_table(fp, rows, "cycles", NULL, "Re-ups and closures");
	fputs("</section>\n", fp);
	html_feedback(fp, r, rows);
	fputs("<section>\n<h2>Retention</h2>\n", fp);
	html_rows_table(fp, rows, "retention", NULL, "Retention");
	fputs("</section>\n", fp);
	html_model(fp, rows, "network", "Network introductions");
	html_model(fp, rows, "sessions", "Leader sessions");
	fputs("<footer>Made by mentorctl. What pairs discuss is "
	    "confidential: check-in notes are never part of a report.</footer>\n"
	    "</body>\n</html>\n", fp);
	if (fflush(fp) != 0 || ferror(fp)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
