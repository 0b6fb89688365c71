#ifndef MENTORCTL_CORE_REPLY_H
#define MENTORCTL_CORE_REPLY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What a participant's reply says.  Pure: the text comes from io/mime (the
 * decoded body, UTF-8, LF line ends, HTML already turned into text with
 * quoted parts as "> " lines) and the day the mail was written is passed
 * in; no time(), no I/O.
 *
 * 1. The reply's own text (reply_own_text).  Dropped: quoted lines (those
 *    starting with '>'), the attribution that introduces a quote ("On ...
 *    wrote:" and its German, French, Spanish, Dutch, Italian, Portuguese
 *    and Scandinavian forms, also when wrapped over up to three lines).
 *    Cut, with everything after them: Outlook's header block ("From: ...",
 *    then "Sent:"/"Date:"/"To:"/"Subject:" within four lines, in the same
 *    languages), "-----Original Message-----" and any "--- words ---"
 *    rule, a line of underscores, "Begin forwarded message:", the
 *    signature separator "-- ", and the phones' and apps' lines ("Sent
 *    from my iPhone", "Get Outlook for Android", "Envoyé de mon iPhone",
 *    "Von meinem iPhone gesendet", ...); an attribution that is not
 *    followed by quoted lines also cuts.  Bottom-posted and interleaved
 *    replies keep their unquoted lines.
 *
 * 2. The commands (reply_parse), case-insensitive.  The rule:
 *    - Blank lines are skipped.  The first line may be a greeting ("Hi
 *      team,", "Thanks!", at most 8 words) and is then skipped.
 *    - The next line must be a command; otherwise the reply is
 *      REPLY_UNKNOWN (an empty own text is REPLY_EMPTY).
 *    - Each following line that starts with a command word is a command
 *      too; the first line that does not ends the commands and it and
 *      everything after it is ignored (a note, a signature).
 *    - All or nothing: one unreadable command fails the whole reply, with
 *      one reason, and no command is returned.
 *    - Each kind at most once, except "met" (several meetings may be
 *      reported); yes with no, or pause with resume, is REPLY_CONFLICT.
 *      At most REPLY_MAX_CMDS commands.
 *
 *    yes | accept [anything]            REPLY_YES
 *    no | decline [reason]              REPLY_NO, text = reason or NULL
 *    [we|I] met [DATE] [DURATION]       REPLY_MET, day and minutes, in
 *                                       either order, with "on", "for",
 *                                       "about", ... allowed between
 *    rate|rating N[/5 | out of 5] [comment]   REPLY_RATE, 1..5
 *    re-up|reup|re up yes|no            REPLY_REUP
 *    pause | resume | help | join       (anything after them is ignored)
 *    1. Ana 2. Bo 3. Cy                 REPLY_RANKING (one line, or one
 *                                       name a line; "rank:" or
 *                                       "preferences:" may come first);
 *                                       a numbered line after another
 *                                       command is a note, not a ranking
 *    2, 1, 3                            REPLY_RANKING of list positions
 *                                       (the first line only: numbers
 *                                       and , ; or spaces, nothing
 *                                       else); names are "2", "1", "3"
 *
 *    DATE: today, yesterday, N days ago, [last] Monday..Sunday (the
 *    latest such day on or before the mail's day; "last": before it),
 *    2027-01-25, 25 Jan, Jan 25, 25th of January 2027, January 25, 2027,
 *    25/01/2027, 25.01.2027.  Without a year: the latest such day on or
 *    before the mail's day, refused when that is more than 183 days back.
 *    A day that does not exist, a day after the mail's day, and numeric
 *    forms whose day and month could be swapped (03/04) are refused.
 *    Default: the mail's day.
 *    DURATION: 45 min, 45m, 45 minutes, 1h, 1 hr, 1 hour, 1.5 h, 1,5 h,
 *    1h30, 1 h 30 min, an hour, half an hour; 1 to 720 minutes.  Default:
 *    not said (minutes = 0).
 *    In a "met" line every word must be understood, except after the end
 *    of a sentence (". ", "!", "?", ";", " - ", "("), where the rest of the
 *    line is a remark and ignored.
 */

#define REPLY_MAX_CMDS 10
#define REPLY_MAX_RANKING 20
#define REPLY_MAX_MINUTES 720
/* A date without a year is refused when it is further back than this. */
#define REPLY_YEARLESS_DAYS 183

enum reply_kind {
	REPLY_YES,
	REPLY_NO,
	REPLY_MET,
	REPLY_RATE,
	REPLY_REUP,
	REPLY_PAUSE,
	REPLY_RESUME,
	REPLY_HELP,
	REPLY_JOIN,
	REPLY_RANKING,
};
#define REPLY_KIND_COUNT 10

enum reply_error {
	REPLY_OK,
	REPLY_EMPTY,		/* nothing written above the quoted text */
	REPLY_UNKNOWN,		/* the first line is not a command */
	REPLY_BAD_MET,		/* a word in a "met" line that is not understood */
	REPLY_BAD_DATE,		/* no such day, after the mail, ambiguous */
	REPLY_BAD_DURATION,
	REPLY_BAD_RATING,
	REPLY_BAD_REUP,
	REPLY_BAD_RANKING,
	REPLY_CONFLICT,		/* yes and no, two ratings, ... */
	REPLY_TOO_MANY,
};
#define REPLY_ERROR_COUNT 11

struct reply_cmd {
	enum reply_kind kind;
	int day;		/* MET: the day of the meeting; else DATE_NONE */
	int minutes;		/* MET: 1..REPLY_MAX_MINUTES, 0 when not said */
	int rating;		/* RATE: 1..5 */
	bool yes;		/* REUP: re-up yes */
	char *text;		/* NO: the reason, RATE: the comment; else NULL */
	char **names;		/* RANKING: most preferred first */
	size_t nnames;
};

struct reply {
	enum reply_error error;
	/*
	 * For a person, not a developer, both one line without a full stop,
	 * NULL when error is REPLY_OK.  reason says what was wrong, quoting
	 * their words ("there is no 30 February"); fix how to write it
	 * ("write the date as 2027-01-25 or 25 Jan").
	 */
	char *reason;
	char *fix;
	struct reply_cmd *cmds;	/* none unless REPLY_OK */
	size_t ncmds;
	char *text;		/* the reply's own text (reply_own_text) */
};

/* "yes", "no", "met", "rate", "re-up", "pause", ..., "ranking" */
const char *reply_kind_name(enum reply_kind k);
/* "ok", "empty", "unknown", "bad-met", "bad-date", ...: for logs. */
const char *reply_error_name(enum reply_error e);

/*
 * The reply's own text, as described above: valid UTF-8 (invalid bytes
 * become U+FFFD), LF line ends, no control characters but LF, no-break
 * and other Unicode spaces as plain spaces, no leading or trailing blank
 * lines.  Any bytes are accepted.  Caller frees.
 */
char *reply_own_text(const char *body);

/*
 * Read the commands of a reply whose whole decoded body is body, written
 * on mail_day (the sender's local day, core/date.h; DATE_NONE makes the
 * forms that need it fail with REPLY_BAD_DATE).  Never NULL; reply_free()
 * it.
 */
struct reply *reply_parse(const char *body, int mail_day);
void reply_free(struct reply *r);

#endif
