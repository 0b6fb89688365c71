/*
 * What each mail says.  A body is written one paragraph per line and
 * wrapped afterwards (mail_wrap), because names, prompts and reasons have
 * any length.  Everything a person typed (names, goals, prompts, reasons)
 * goes through mail_clean: no control character reaches a mail.
 *
 * Privacy: a mail to one partner says nothing that the other told the
 * programme in confidence.  Nothing here reads check-in notes, ratings or
 * feedback; the facts are the pairing's dates and the partner's profile
 * (name, address once matched, title, department, location, time zone),
 * the mentee's goal and the matching reasons, which the spec has both
 * partners see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/digest.h"
#include "io/mail.h"
#include "mail_int.h"
#include "util/xmalloc.h"

static const char *
mail_program_name(const struct program *p)
{
	if (p->name != NULL && p->name[0] != '\0')
		return p->name;
	if (p->slug != NULL && p->slug[0] != '\0')
		return p->slug;
	return "Mentoring programme";
}

/* A person for running text: the cleaned name, else the address. */
static void
mail_add_person(struct strbuf *sb, const struct remind_person *who)
{
	size_t start = sb->len;

	mail_clean(who->name, sb);
	if (sb->len == start)
		mail_clean(who->email ? who->email : "your partner", sb);
}

/* "Name <address>" */
static void
mail_add_mailbox(struct strbuf *sb, const struct remind_person *who)
{
	size_t start = sb->len;

	mail_clean(who->name, sb);
	if (sb->len > start)
		strbuf_addch(sb, ' ');
	strbuf_addch(sb, '<');
	mail_clean(who->email, sb);
	strbuf_addch(sb, '>');
}

static const struct remind_person *
mail_partner(const struct reminder *r)
{
	return r->role == REMIND_ROLE_MENTOR ? &r->mentee : &r->mentor;
}

static void
mail_add_date(struct strbuf *sb, int day)
{
	char b[DATE_BUFSZ];

	strbuf_addstr(sb, date_format(day, b));
}

static void
mail_add_every(struct strbuf *sb, struct duration d)
{
	static const char *const units[] = {
		[DATE_UNIT_DAY] = "day",
		[DATE_UNIT_WEEK] = "week",
		[DATE_UNIT_MONTH] = "month",
		[DATE_UNIT_YEAR] = "year",
	};
	const char *u = (unsigned)d.unit < 4 ? units[d.unit] : "day";

	if (d.n == 1)
		strbuf_addf(sb, "every %s", u);
	else
		strbuf_addf(sb, "every %d %ss", d.n, u);
}

static void
mail_add_topic(struct strbuf *sb, int number, const char *prompt)
{
	if (prompt == NULL || prompt[0] == '\0')
		return;
	strbuf_addf(sb, "\nSuggested topic for meeting %d:\n\n    ", number);
	mail_clean(prompt, sb);
	strbuf_addch(sb, '\n');
}

static void
mail_add_prompt(struct strbuf *sb, const struct reminder *r)
{
	mail_add_topic(sb, r->meeting_number, r->prompt);
}

static void
mail_add_last_meeting(struct strbuf *sb, const struct reminder *r)
{
	if (r->last_meeting != DATE_NONE) {
		strbuf_addstr(sb, "the last recorded meeting was on ");
		mail_add_date(sb, r->last_meeting);
	} else {
		strbuf_addstr(sb, "no meeting has been recorded since ");
		mail_add_date(sb, r->since);
	}
}

static void
mail_add_signature(struct strbuf *sb, const struct program *p)
{
	strbuf_addstr(sb, "\nThank you,\n\n-- \n");
	mail_clean(mail_program_name(p), sb);
	strbuf_addch(sb, '\n');
	if (p->contact != NULL)
		strbuf_addf(sb, "%s\n", p->contact);
	strbuf_addstr(sb, "(an automatic message from mentorctl)\n");
}

static const char *
mail_contact(const struct program *p)
{
	return p->contact != NULL ? p->contact : "the programme office";
}

/* "Jo Smith's circle" */
static void
mail_add_circle(struct strbuf *sb, const struct reminder *r)
{
	mail_add_person(sb, &r->mentor);
	strbuf_addstr(sb, "'s circle");
}

/* A circle's mail (format group): to its mentor, or to one of its members. */
static bool
mail_in_circle(const struct program *p, const struct reminder *r)
{
	return r->circle_id > 0 ||
	    (p->format == FORMAT_GROUP && r->group_id > 0);
}

static long long
mail_circle_id(const struct reminder *r)
{
	return r->circle_id > 0 ? r->circle_id : r->group_id;
}

/* ---- subjects ---- */

static void
mail_subject_checkin(struct strbuf *sb, const struct program *p,
    const struct reminder *r)
{
	bool circle = mail_in_circle(p, r);

	if (circle)
		mail_add_circle(sb, r);
	else {
		strbuf_addstr(sb, "check-in with ");
		mail_add_person(sb, mail_partner(r));
	}
	if (r->kind == REMIND_CHECKIN_DUE) {
		strbuf_addstr(sb, circle ? ": meeting due on " : " due on ");
		mail_add_date(sb, r->due_on);
	} else {
		strbuf_addstr(sb, circle ? ": meeting overdue (due " :
		    " is overdue (due ");
		mail_add_date(sb, r->due_on);
		strbuf_addch(sb, ')');
	}
}

char *
mail_reminder_subject(const struct program *p, const struct reminder *r)
{
	struct strbuf sb = STRBUF_INIT;
	const bool mentor = r->role == REMIND_ROLE_MENTOR;

	mail_clean(mail_program_name(p), &sb);
	strbuf_addstr(&sb, ": ");
	switch (r->kind) {
	case REMIND_CHECKIN_DUE:
	case REMIND_CHECKIN_OVERDUE:
		mail_subject_checkin(&sb, p, r);
		break;
	case REMIND_STALLED:
		if (r->role == REMIND_ROLE_CONTACT) {
			strbuf_addf(&sb, "pairing %lld (", r->pairing_id);
			mail_add_person(&sb, &r->mentor);
			strbuf_addstr(&sb, " and ");
			mail_add_person(&sb, &r->mentee);
			strbuf_addstr(&sb, ") has stalled");
		} else if (mail_in_circle(p, r)) {
			mail_add_circle(&sb, r);
			strbuf_addstr(&sb, " has stopped meeting");
		} else {
			strbuf_addstr(&sb, "your meetings with ");
			mail_add_person(&sb, mail_partner(r));
			strbuf_addstr(&sb, " have stalled");
		}
		break;
	case REMIND_PROPOSAL_EXPIRING:
		strbuf_addstr(&sb, "please answer your match with ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addstr(&sb, " by ");
		mail_add_date(&sb, r->expires_on);
		break;
	case REMIND_REUP_OPEN:
		strbuf_addstr(&sb, "continue with ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addstr(&sb, " for another cycle? Answer by ");
		mail_add_date(&sb, r->reup_closes_on);
		break;
	case REMIND_REUP_CLOSING:
		strbuf_addstr(&sb, "last days to answer: continue with ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addstr(&sb, "? Answer by ");
		mail_add_date(&sb, r->reup_closes_on);
		break;
	case REMIND_INTRODUCTION:
		strbuf_addstr(&sb, "meet ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addstr(&sb, mentor ? ", your proposed mentee" :
		    ", your proposed mentor");
		break;
	case REMIND_MATCHED:
		strbuf_addstr(&sb, "you are matched with ");
		mail_add_person(&sb, mail_partner(r));
		break;
	case REMIND_NEW_MENTOR:
		strbuf_addstr(&sb, mentor ? "your mentee " : "your mentor ");
		if (r->slot > 0)
			strbuf_addf(&sb, "for period %d ", r->slot);
		strbuf_addstr(&sb, "is ");
		mail_add_person(&sb, mail_partner(r));
		break;
	case REMIND_CIRCLE_ROSTER:
		strbuf_addstr(&sb, "welcome to ");
		mail_add_circle(&sb, r);
		break;
	case REMIND_REUP_OUTCOME:
		strbuf_addstr(&sb, "you continue with ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addstr(&sb, " for another cycle");
		break;
	case REMIND_CLOSURE:
		strbuf_addstr(&sb, "thank you, and how did it go with ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addch(&sb, '?');
		break;
	case REMIND_INTRO_REQUEST:
		strbuf_addstr(&sb, "a new contact for ");
		mail_add_person(&sb, mail_partner(r));
		strbuf_addf(&sb, " at meeting %d?", r->meeting_number);
		break;
	case REMIND_DIGEST:
		strbuf_addstr(&sb, "coordinators' digest for ");
		mail_add_date(&sb, r->due_on);
		break;
	}
	return strbuf_detach(&sb, NULL);
}

/* ---- bodies ---- */

static void
mail_body_greeting(struct strbuf *sb, const struct reminder *r)
{
	size_t mark;

	strbuf_addstr(sb, "Hello");
	if (r->role != REMIND_ROLE_CONTACT) {
		mark = sb->len;
		strbuf_addch(sb, ' ');
		mail_clean(r->to.name, sb);
		if (sb->len == mark + 1)
			strbuf_setlen(sb, mark);
	}
	strbuf_addstr(sb, ",\n\n");
}

/* "Reply to this mail with ..." once replies are read by mentorctl. */
static void
mail_add_met(struct strbuf *sb, const char *lead)
{
	strbuf_addf(sb, "\n%s reply to this mail with \"met\", the day and "
	    "how long, for example \"met 2027-01-25 45 min\" (or \"met "
	    "yesterday\"), so that the meeting is recorded. Reply \"pause\" "
	    "to stop these reminders for a while, \"help\" for what else you "
	    "can say.\n", lead);
}

/*
 * How a meeting is reported, after lead ("When you have met,"); NULL: the
 * circle's member, whose mentor reports for the circle.
 */
static void
mail_add_answer(struct strbuf *sb, const char *lead)
{
	if (lead != NULL) {
		mail_add_met(sb, lead);
		return;
	}
	strbuf_addstr(sb, "\nYour mentor records the circle's meetings. Reply "
	    "\"pause\" to stop these reminders for a while, \"help\" for what "
	    "else you can say.\n");
}

/* The circle: its mentor and members, one per line. */
static void
mail_add_members(struct strbuf *sb, const struct reminder *r,
    const struct mail_extra *x)
{
	size_t i;

	if (x == NULL || x->nmembers == 0)
		return;
	strbuf_addstr(sb, "\n    Mentor:   ");
	mail_add_mailbox(sb, &r->mentor);
	for (i = 0; i < x->nmembers; i++) {
		strbuf_addstr(sb, i == 0 ? "\n    Members:  " :
		    "\n              ");
		mail_add_mailbox(sb, &x->members[i]);
	}
	strbuf_addch(sb, '\n');
}

static void
mail_body_checkin(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	bool circle = mail_in_circle(p, r);
	const char *met = !circle ? "When you have met," :
	    r->role == REMIND_ROLE_MENTOR ? "When the circle has met," : NULL;

	if (r->kind == REMIND_CHECKIN_DUE) {
		if (circle) {
			strbuf_addstr(sb, "The next meeting of ");
			mail_add_circle(sb, r);
		} else {
			strbuf_addstr(sb, "Your next mentoring check-in with ");
			mail_add_person(sb, mail_partner(r));
		}
		strbuf_addstr(sb, " is due on ");
		mail_add_date(sb, r->due_on);
		strbuf_addf(sb, " (%s %lld, meeting %d; you meet ", circle ?
		    "circle" : "pairing", circle ? mail_circle_id(r) :
		    r->pairing_id, r->meeting_number);
		mail_add_every(sb, p->checkins.every);
		strbuf_addstr(sb, ").\n");
		mail_add_members(sb, r, x);
		mail_add_prompt(sb, r);
		mail_add_answer(sb, met);
		return;
	}
	if (circle) {
		strbuf_addstr(sb, "The meeting of ");
		mail_add_circle(sb, r);
	} else {
		strbuf_addstr(sb, "Your mentoring check-in with ");
		mail_add_person(sb, mail_partner(r));
	}
	strbuf_addstr(sb, " was due on ");
	mail_add_date(sb, r->due_on);
	if (r->days_overdue > 0)
		strbuf_addf(sb, ", %d day%s ago", r->days_overdue,
		    r->days_overdue == 1 ? "" : "s");
	strbuf_addf(sb, " (%s %lld), and ", circle ? "circle" : "pairing",
	    circle ? mail_circle_id(r) : r->pairing_id);
	mail_add_last_meeting(sb, r);
	strbuf_addstr(sb, ".\n");
	mail_add_members(sb, r, x);
	mail_add_prompt(sb, r);
	mail_add_answer(sb, met == NULL ? NULL : circle ?
	    "If the circle has met," : "If you have met,");
	strbuf_addf(sb, "\nIf something is getting in the way, tell your "
	    "coordinators at %s: they are there to help.\n", mail_contact(p));
}

static void
mail_body_stalled(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	if (r->role == REMIND_ROLE_CONTACT) {
		strbuf_addf(sb, "Pairing %lld of ", r->pairing_id);
		mail_clean(mail_program_name(p), sb);
		strbuf_addstr(sb, " has stalled:\n\n    mentor:        ");
		mail_add_mailbox(sb, &r->mentor);
		strbuf_addstr(sb, "\n    mentee:        ");
		mail_add_mailbox(sb, &r->mentee);
		strbuf_addstr(sb, "\n    last meeting:  ");
		if (r->last_meeting != DATE_NONE) {
			mail_add_date(sb, r->last_meeting);
		} else {
			strbuf_addstr(sb, "none since ");
			mail_add_date(sb, r->since);
		}
		strbuf_addf(sb, "\n    missed:        %d check-in%s in a row "
		    "(", r->missed, r->missed == 1 ? "" : "s");
		mail_add_every(sb, p->checkins.every);
		strbuf_addf(sb, ")\n\n    To record a meeting:   mentorctl "
		    "checkin %lld --on YYYY-MM-DD\n    To close the pairing:  "
		    "mentorctl end %lld --reason TEXT\n", r->pairing_id,
		    r->pairing_id);
		return;
	}
	bool circle = mail_in_circle(p, r);

	if (circle) {
		mail_add_circle(sb, r);
		strbuf_addf(sb, " (circle %lld)", mail_circle_id(r));
	} else {
		strbuf_addstr(sb, "Your mentoring pairing with ");
		mail_add_person(sb, mail_partner(r));
		strbuf_addf(sb, " (pairing %lld)", r->pairing_id);
	}
	strbuf_addf(sb, " has missed %d check-in%s in a row: ", r->missed,
	    r->missed == 1 ? "" : "s");
	mail_add_last_meeting(sb, r);
	strbuf_addstr(sb, ".\n");
	mail_add_members(sb, r, x);
	if (r->stalled_on != DATE_NONE && r->due_on > r->stalled_on)
		strbuf_addstr(sb, "\nThis is a weekly reminder while no "
		    "meeting is recorded.\n");
	strbuf_addf(sb, "\nYour coordinators know and may get in touch. If "
	    "you would like to change or end the pairing, write to them at "
	    "%s.\n", mail_contact(p));
	mail_add_answer(sb, !circle ? "If you have met," :
	    r->role == REMIND_ROLE_MENTOR ? "If the circle has met," : NULL);
	mail_add_prompt(sb, r);
}

/* The partner as an introduction shows them: what is known, one per line. */
static void
mail_add_card(struct strbuf *sb, const struct mail_card *c, bool address)
{
	static const char *const labels[] = {
		"Address:", "Title:", "Department:", "Location:", "Time zone:",
	};
	const char *v[5];
	size_t i;

	v[0] = address ? c->email : NULL;
	v[1] = c->title;
	v[2] = c->department;
	v[3] = c->location;
	v[4] = c->timezone;
	for (i = 0; i < 5; i++) {
		if (v[i] == NULL || v[i][0] == '\0')
			continue;
		strbuf_addf(sb, "    %-12s", labels[i]);
		mail_clean(v[i], sb);
		strbuf_addch(sb, '\n');
	}
}

static void
mail_add_about(struct strbuf *sb, const struct reminder *r,
    const struct mail_extra *x, bool address)
{
	if (x == NULL)
		return;
	strbuf_addstr(sb, "\nAbout ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addstr(sb, ":\n\n");
	mail_add_card(sb, &x->partner, address);
	if (x->nreasons > 0) {
		size_t i;

		strbuf_addstr(sb, "\nWhy this match:\n\n");
		for (i = 0; i < x->nreasons; i++) {
			strbuf_addstr(sb, "    - ");
			mail_clean(x->reasons[i], sb);
			strbuf_addch(sb, '\n');
		}
	}
	if (x->shared != NULL && x->shared[0] != '\0') {
		strbuf_addstr(sb, "\nShared interests: ");
		mail_clean(x->shared, sb);
		strbuf_addstr(sb, "\n");
	}
	if (x->goal != NULL && x->goal[0] != '\0') {
		strbuf_addstr(sb, r->role == REMIND_ROLE_MENTOR ?
		    "\nThe mentee's goal: \"" : "\nYour goal: \"");
		mail_clean(x->goal, sb);
		strbuf_addstr(sb, "\"\n");
	}
}

static bool
mail_consent_needed(const struct program *p, enum remind_role role)
{
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		return true;
	case CONSENT_MENTEE:
		return role == REMIND_ROLE_MENTEE;
	case CONSENT_NONE:
	default:
		return false;
	}
}

static void
mail_body_introduction(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	if (r->role == REMIND_ROLE_MENTOR) {
		strbuf_addstr(sb, "You have been proposed as the mentor of ");
		mail_add_person(sb, &r->mentee);
	} else {
		strbuf_addstr(sb, "You have been proposed a mentor: ");
		mail_add_person(sb, &r->mentor);
	}
	strbuf_addstr(sb, ", in ");
	mail_clean(mail_program_name(p), sb);
	strbuf_addf(sb, " (pairing %lld).\n", r->pairing_id);
	mail_add_about(sb, r, x, false);
	if (mail_consent_needed(p, r->role)) {
		strbuf_addstr(sb, "\nWould you like to go ahead? Reply to this "
		    "mail with \"yes\" to accept, or \"no\" and, if you like, a "
		    "reason (\"no I have no time this quarter\"). Your reason "
		    "goes to the coordinators only.");
		if (r->expires_on != DATE_NONE) {
			strbuf_addstr(sb, " Without an answer the proposal "
			    "expires on ");
			mail_add_date(sb, r->expires_on);
			strbuf_addch(sb, '.');
		}
		strbuf_addch(sb, '\n');
	} else {
		strbuf_addstr(sb, "\nThere is nothing you need to do: ");
		mail_add_person(sb, mail_partner(r));
		strbuf_addstr(sb, " will answer");
		if (r->expires_on != DATE_NONE) {
			strbuf_addstr(sb, " by ");
			mail_add_date(sb, r->expires_on);
		}
		strbuf_addstr(sb, ", and you will hear when the pairing "
		    "starts.\n");
	}
}

static void
mail_add_first(struct strbuf *sb, const struct mail_extra *x)
{
	if (x == NULL || x->first_due == DATE_NONE)
		return;
	strbuf_addstr(sb, "\nPlease set up your first meeting: it is due by ");
	mail_add_date(sb, x->first_due);
	strbuf_addstr(sb, ".\n");
	mail_add_topic(sb, 1, x->first_prompt);
}

static void
mail_body_matched(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	if (r->kind == REMIND_NEW_MENTOR) {
		strbuf_addstr(sb, r->role == REMIND_ROLE_MENTOR ?
		    "Your mentee" : "Your mentor");
		if (r->slot > 0)
			strbuf_addf(sb, " for period %d of the rotation", r->slot);
		strbuf_addstr(sb, " is ");
		mail_add_person(sb, mail_partner(r));
		strbuf_addf(sb, " (pairing %lld), from ", r->pairing_id);
		mail_add_date(sb, r->activated_on);
		if (x != NULL && x->period_ends != DATE_NONE) {
			strbuf_addstr(sb, " to ");
			mail_add_date(sb, x->period_ends);
		}
		strbuf_addstr(sb, ".\n");
	} else {
		strbuf_addstr(sb, "Your mentoring pairing with ");
		mail_add_person(sb, mail_partner(r));
		strbuf_addf(sb, " has started (pairing %lld, since ",
		    r->pairing_id);
		mail_add_date(sb, r->activated_on);
		strbuf_addstr(sb, "). Please get in touch with each other.\n");
	}
	mail_add_about(sb, r, x, true);
	mail_add_first(sb, x);
	if (p->checkins.present && p->checkins.every.n > 0) {
		strbuf_addstr(sb, "\nAfter that you meet ");
		mail_add_every(sb, p->checkins.every);
		strbuf_addstr(sb, ".\n");
	}
	mail_add_met(sb, "After each meeting,");
}

static void
mail_body_roster(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	if (r->role == REMIND_ROLE_MENTOR)
		strbuf_addstr(sb, "You lead ");
	else
		strbuf_addstr(sb, "You are a member of ");
	mail_add_circle(sb, r);
	strbuf_addf(sb, " (circle %lld) in ", r->circle_id);
	mail_clean(mail_program_name(p), sb);
	strbuf_addstr(sb, ", since ");
	mail_add_date(sb, r->activated_on);
	strbuf_addstr(sb, ". The circle is:\n");
	mail_add_members(sb, r, x);
	mail_add_first(sb, x);
	if (r->role == REMIND_ROLE_MENTOR)
		mail_add_met(sb, "After each circle meeting,");
	else
		strbuf_addstr(sb, "\nYour mentor records the circle's "
		    "meetings.\n");
}

static void
mail_body_reup(struct strbuf *sb, const struct program *p,
    const struct reminder *r)
{
	if (r->kind == REMIND_REUP_CLOSING)
		strbuf_addstr(sb, "A reminder: we have not heard from you yet. ");
	strbuf_addstr(sb, "Your current mentoring cycle with ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addf(sb, " (pairing %lld)", r->pairing_id);
	if (r->cycle_ends_on != DATE_NONE) {
		/* the last day, not the day after (cycle_ends_on is exclusive) */
		strbuf_addstr(sb, " runs until ");
		mail_add_date(sb, r->cycle_ends_on - 1);
	} else {
		strbuf_addstr(sb, " is coming to its end");
	}
	strbuf_addstr(sb, ". Would you like to continue together for another "
	    "cycle?\n\nReply to this mail with \"re-up yes\" to continue or "
	    "\"re-up no\" to finish, by ");
	mail_add_date(sb, r->reup_closes_on);
	strbuf_addf(sb, ". Without an answer we will take it as %s.\n",
	    p->cycle.reup_default == REUP_DEFAULT_CONTINUE ? "a yes" : "a no");
}

static void
mail_body_outcome(struct strbuf *sb, const struct reminder *r)
{
	strbuf_addstr(sb, "Your mentoring pairing with ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addf(sb, " (pairing %lld) continues for another cycle, as "
	    "decided on ", r->pairing_id);
	mail_add_date(sb, r->due_on);
	strbuf_addstr(sb, ". Keep meeting as before: the reminders carry on "
	    "with your next meeting's topic.\n");
}

static void
mail_body_closure(struct strbuf *sb, const struct program *p,
    const struct reminder *r)
{
	strbuf_addstr(sb, "Your mentoring pairing with ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addf(sb, " (pairing %lld) ended on ", r->pairing_id);
	mail_add_date(sb, r->due_on);
	if (r->ended_by_reup)
		strbuf_addstr(sb, ", at the end of its cycle");
	strbuf_addstr(sb, ". Thank you for the time and care you gave it.\n\n"
	    "How did it go? Reply to this mail with \"rate\" and a number "
	    "from 1 (poor) to 5 (excellent), and a comment if you like, for "
	    "example \"rate 4 we met every fortnight and it helped\". ");
	strbuf_addstr(sb, "Your answer is confidential: ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addstr(sb, " never sees it, and reports show ratings and "
	    "comments only together with at least two others.\n");
	strbuf_addf(sb, "\nTo take part again, or to be paired with someone "
	    "new, write to %s.\n", mail_contact(p));
}

/* Network mentoring: the mentor brings a contact from meeting N on. */
static void
mail_body_intro_request(struct strbuf *sb, const struct program *p,
    const struct reminder *r)
{
	strbuf_addstr(sb, "In this programme the mentor widens the mentee's "
	    "network: from the first meetings on, you introduce ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addf(sb, " (pairing %lld) to people who can help with their "
	    "goals.\n\n", r->pairing_id);
	strbuf_addstr(sb, "Could you bring a new contact to your next meeting "
	    "(meeting ");
	strbuf_addf(sb, "%d, due ", r->meeting_number);
	mail_add_date(sb, r->due_on);
	strbuf_addf(sb, ")? So far ");
	mail_add_person(sb, mail_partner(r));
	strbuf_addf(sb, " has met %d of the %d contacts the programme aims "
	    "for.\n\n", r->intro_made, r->intro_target);
	strbuf_addf(sb, "Once you have made an introduction, write the "
	    "contact's name and address to the coordinators at %s, and they "
	    "will record it. After the meeting, reply to this mail with "
	    "\"met\" and the day, for example \"met yesterday 45 min\".\n",
	    mail_contact(p));
}

/* ---- the digest ---- */

static void
mail_digest_head(struct strbuf *sb, const char *title, size_t n,
    size_t fresh)
{
	strbuf_addf(sb, "\n%s: %zu", title, n);
	if (fresh > 0)
		strbuf_addf(sb, " (%zu new)", fresh);
	strbuf_addstr(sb, "\n\n");
}

static void
mail_digest_more(struct strbuf *sb, size_t n, const char *how)
{
	if (n > DIGEST_SHOWN)
		strbuf_addf(sb, "    ... and %zu more: %s\n", n - DIGEST_SHOWN,
		    how);
}

static size_t
mail_fresh_pairs(const struct digest_pair *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i].fresh;
	return k;
}

static size_t
mail_fresh_lines(const struct digest_line *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i].fresh;
	return k;
}

static void
mail_digest_pairs(struct strbuf *sb, const char *title,
    const struct digest_pair *v, size_t n, bool stalled, const char *more)
{
	size_t i;

	if (n == 0)
		return;
	mail_digest_head(sb, title, n, mail_fresh_pairs(v, n));
	for (i = 0; i < n && i < DIGEST_SHOWN; i++) {
		strbuf_addf(sb, "    %s%lld: ", v[i].fresh ? "NEW " : "",
		    v[i].pairing_id);
		mail_clean(v[i].mentor, sb);
		strbuf_addstr(sb, " with ");
		mail_clean(v[i].mentee, sb);
		if (stalled) {
			strbuf_addstr(sb, "; stalled since ");
			mail_add_date(sb, v[i].day);
			strbuf_addstr(sb, v[i].last_meeting == DATE_NONE ?
			    ", never met" : ", last met ");
			if (v[i].last_meeting != DATE_NONE)
				mail_add_date(sb, v[i].last_meeting);
		} else {
			strbuf_addf(sb, "; waiting for %s%s%s; expires ",
			    v[i].mentor_waiting ? "the mentor" : "",
			    v[i].mentor_waiting && v[i].mentee_waiting ?
			    " and " : "", v[i].mentee_waiting ? "the mentee" :
			    "");
			mail_add_date(sb, v[i].day);
		}
		strbuf_addch(sb, '\n');
	}
	mail_digest_more(sb, n, more);
}

static void
mail_digest_lines(struct strbuf *sb, const char *title,
    const struct digest_line *v, size_t n, const char *more)
{
	size_t i;

	if (n == 0)
		return;
	mail_digest_head(sb, title, n, mail_fresh_lines(v, n));
	for (i = 0; i < n && i < DIGEST_SHOWN; i++) {
		strbuf_addf(sb, "    %s", v[i].fresh ? "NEW " : "");
		mail_clean(v[i].who, sb);
		if (v[i].what != NULL && v[i].what[0] != '\0') {
			strbuf_addstr(sb, ", ");
			mail_clean(v[i].what, sb);
		}
		if (v[i].day != DATE_NONE) {
			strbuf_addstr(sb, ", ");
			mail_add_date(sb, v[i].day);
		}
		if (v[i].why != NULL && v[i].why[0] != '\0') {
			strbuf_addstr(sb, ": ");
			mail_clean(v[i].why, sb);
		}
		strbuf_addch(sb, '\n');
	}
	mail_digest_more(sb, n, more);
}

static void
mail_body_digest(struct strbuf *sb, const struct program *p,
    const struct reminder *r, const struct mail_extra *x)
{
	const struct remind_digest *d = x != NULL ? x->digest : NULL;
	const char *slug = p->slug ? p->slug : "";
	char *more;

	strbuf_addstr(sb, "What needs your attention in ");
	mail_clean(mail_program_name(p), sb);
	strbuf_addstr(sb, " today, ");
	mail_add_date(sb, r->due_on);
	if (d != NULL && d->last != DATE_NONE) {
		strbuf_addstr(sb, " (NEW: since the last digest, ");
		mail_add_date(sb, d->last);
		strbuf_addch(sb, ')');
	}
	strbuf_addstr(sb, ".\n");
	if (d == NULL)
		return;
	more = xasprintf("mentorctl pairings %s --status active", slug);
	mail_digest_pairs(sb, "Stalled pairs", d->stalled, d->nstalled, true,
	    more);
	free(more);
	more = xasprintf("mentorctl pairings %s --status proposed", slug);
	mail_digest_pairs(sb, "Unanswered proposals", d->proposals,
	    d->nproposals, false, more);
	free(more);
	more = xasprintf("mentorctl diagnose %s", slug);
	mail_digest_lines(sb, "Pending eligibility", d->pending, d->npending,
	    more);
	free(more);
	mail_digest_lines(sb, "Bouncing addresses, since (no mail goes to them; "
	    "'mentorctl mail clear ADDRESS' when fixed)", d->bounces,
	    d->nbounces, "mentorctl mail bounces");
	mail_digest_lines(sb, "Replies that changed nothing", d->replies,
	    d->nreplies, "the inbox log");
	mail_digest_lines(sb, "Mail not delivered ('mentorctl mail unsent', "
	    "'mentorctl mail resend')", d->undelivered, d->nundelivered,
	    "mentorctl mail unsent");
	strbuf_addf(sb, "\nTo record a meeting: mentorctl checkin PAIRING "
	    "--on YYYY-MM-DD; to close a pairing: mentorctl end PAIRING "
	    "--reason TEXT; the whole picture: mentorctl report %s.\n", slug);
}

/* Code points, not octets: what a reader sees. */
static size_t
mail_columns(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

/*
 * Fill each line to MAIL_WRAP columns at spaces; continuation lines keep
 * the line's indentation.  A word longer than the width stays whole (the
 * transfer encoding then keeps the lines on the wire short).
 */
#define MAIL_WRAP 72

static void
mail_wrap(const char *text, struct strbuf *out)
{
	const char *line, *eol, *p, *w, *we;
	size_t indent, col;

	for (line = text; *line != '\0'; line = *eol ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (eol == NULL)
			eol = line + strlen(line);
		if (mail_columns(line, (size_t)(eol - line)) <= MAIL_WRAP) {
			strbuf_add(out, line, (size_t)(eol - line));
			if (*eol == '\n')
				strbuf_addch(out, '\n');
			continue;
		}
		for (p = line; p < eol && *p == ' '; p++)
			;
		indent = (size_t)(p - line);
		/* "- " and "Label:   " hang: continuation lines align. */
		if (p + 2 <= eol && p[0] == '-' && p[1] == ' ')
			indent += 2;
		strbuf_add(out, line, (size_t)(p - line));
		col = (size_t)(p - line);
		for (w = p; w < eol; w = we) {
			while (w < eol && *w == ' ')
				w++;
			if (w == eol)
				break;
			for (we = w; we < eol && *we != ' '; we++)
				;
			if (col > indent && col + 1 +
			    mail_columns(w, (size_t)(we - w)) > MAIL_WRAP) {
				strbuf_addch(out, '\n');
				for (col = 0; col < indent; col++)
					strbuf_addch(out, ' ');
				col = indent;
			} else if (col > (size_t)(p - line)) {
				strbuf_addch(out, ' ');
				col++;
			}
			strbuf_add(out, w, (size_t)(we - w));
			col += mail_columns(w, (size_t)(we - w));
		}
		if (*eol == '\n')
			strbuf_addch(out, '\n');
	}
}

char *
mail_reminder_body_ex(const struct program *p, const struct reminder *r,
    const struct mail_extra *x)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;

	mail_body_greeting(&sb, r);
	switch (r->kind) {
	case REMIND_CHECKIN_DUE:
	case REMIND_CHECKIN_OVERDUE:
		mail_body_checkin(&sb, p, r, x);
		break;
	case REMIND_STALLED:
		mail_body_stalled(&sb, p, r, x);
		break;
	case REMIND_PROPOSAL_EXPIRING:
		if (r->role == REMIND_ROLE_MENTOR) {
			strbuf_addstr(&sb, "You have been proposed as the "
			    "mentor of ");
			mail_add_person(&sb, &r->mentee);
		} else {
			strbuf_addstr(&sb, "You have been proposed a mentor: ");
			mail_add_person(&sb, &r->mentor);
		}
		strbuf_addf(&sb, " (pairing %lld", r->pairing_id);
		if (r->proposed_on != DATE_NONE) {
			strbuf_addstr(&sb, ", proposed on ");
			mail_add_date(&sb, r->proposed_on);
		}
		strbuf_addstr(&sb, "), and we have not heard from you yet.\n\n"
		    "Reply to this mail with \"yes\" to accept, or \"no\" and, "
		    "if you like, a reason. Without an answer the proposal "
		    "expires on ");
		mail_add_date(&sb, r->expires_on);
		strbuf_addstr(&sb, ".\n");
		break;
	case REMIND_REUP_OPEN:
	case REMIND_REUP_CLOSING:
		mail_body_reup(&sb, p, r);
		break;
	case REMIND_INTRODUCTION:
		mail_body_introduction(&sb, p, r, x);
		break;
	case REMIND_MATCHED:
	case REMIND_NEW_MENTOR:
		mail_body_matched(&sb, p, r, x);
		break;
	case REMIND_CIRCLE_ROSTER:
		mail_body_roster(&sb, p, r, x);
		break;
	case REMIND_REUP_OUTCOME:
		mail_body_outcome(&sb, r);
		break;
	case REMIND_CLOSURE:
		mail_body_closure(&sb, p, r);
		break;
	case REMIND_INTRO_REQUEST:
		mail_body_intro_request(&sb, p, r);
		break;
	case REMIND_DIGEST:
		mail_body_digest(&sb, p, r, x);
		break;
	}
	mail_add_signature(&sb, p);
	mail_wrap(sb.buf, &out);
	strbuf_release(&sb);
	return strbuf_detach(&out, NULL);
}

char *
mail_reminder_body(const struct program *p, const struct reminder *r)
{
	return mail_reminder_body_ex(p, r, NULL);
}

char *
mail_reminder_id(const struct program *p, const struct reminder *r)
{
	char key[REMIND_KEY_BUFSZ], *who, *id;

	/* A pairing's mails as before; a circle's and the digest by key too. */
	if (r->circle_id == 0 && r->pairing_id > 0)
		return mail_message_id(p->slug, remind_kind_name(r->kind),
		    r->pairing_id, r->due_on, r->to.email, p->contact);
	who = xasprintf("%s/%s", remind_subject_key(r, key),
	    r->to.email ? r->to.email : "");
	id = mail_message_id(p->slug, remind_kind_name(r->kind), r->circle_id,
	    r->due_on, who, p->contact);
	free(who);
	return id;
}

int
mail_reminder_ex(const struct program *p, const struct reminder *r,
    const struct mail_extra *x, time_t now, struct strbuf *out,
    struct error *err)
{
	struct mail_msg m;
	char *subject, *body, *id;
	int rc;

	if (p->contact == NULL || !mail_addr_valid(p->contact))
		return error_set(err, EX_DATAERR, "programme '%s' has no valid "
		    "contact address to send reminders from",
		    p->slug ? p->slug : "");
	memset(&m, 0, sizeof m);
	m.from.name = mail_program_name(p);
	m.from.email = p->contact;
	m.to = (struct mail_addr){ r->to.name, r->to.email };
	if (x != NULL && x->reply_to != NULL)
		m.reply_to = (struct mail_addr){ mail_program_name(p),
		    x->reply_to };
	m.date = now;
	subject = mail_reminder_subject(p, r);
	body = mail_reminder_body_ex(p, r, x);
	id = x != NULL && x->message_id != NULL ? xstrdup(x->message_id) :
	    mail_reminder_id(p, r);
	m.subject = subject;
	m.body = body;
	m.message_id = id;
	rc = mail_compose(&m, out, err);
	if (rc == -1)
		error_prefix(err, "pairing %lld: ", r->pairing_id);
	free(subject);
	free(body);
	free(id);
	return rc;
}

int
mail_reminder(const struct program *p, const struct reminder *r, time_t now,
    struct strbuf *out, struct error *err)
{
	return mail_reminder_ex(p, r, NULL, now, out, err);
}
