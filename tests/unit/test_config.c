#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/program_yaml.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* The four lines every broken case needs so that it fails only where meant. */
#define H "slug: x\nname: X\npurpose: engagement\nformat: one-to-one\n"

struct bad_case {
	const char *name;
	const char *yaml;
	int line;
	int col;           /* 0: do not check */
	const char *msg;   /* substring of the message */
};

static const struct bad_case bad_cases[] = {
	/* the document as a whole */
	{ "empty file", "", 1, 0, "empty document" },
	{ "only a comment", "# nothing here\n", 1, 0, "empty document" },
	{ "top level list", "- slug: x\n- name: y\n", 1, 1,
	    "expected a mapping at the top level, found a list" },
	{ "top level scalar", "just words\n", 1, 1,
	    "expected a mapping at the top level, found 'just words'" },
	{ "unclosed flow list", "slug: [unclosed\n", 2, 1, "syntax error" },
	{ "bad indentation", "slug: x\nname: y\n  bad: indent\n", 3, 6,
	    "syntax error: mapping values are not allowed" },
	{ "tab indentation", "slug: x\nroles:\n\tmentor: {}\n", 3, 1,
	    "tab character" },
	{ "undefined alias", "slug: *nope\n", 1, 7, "undefined alias '*nope'" },
	{ "duplicate anchor", "slug: &a x\nname: &a y\n", 2, 7,
	    "duplicate anchor (first at line 1)" },
	{ "multiple documents", H "---\nslug: y\n", 5, 1,
	    "multiple documents" },
	{ "invalid utf-8", "slug: x\nname: \xff\n", 2, 7, "invalid input" },
	{ "nul in quoted string", H "owner: \"a\\0b\"\n", 5, 8,
	    "control character in value for owner" },
	{ "deep nesting",
	    "slug: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", 1, 0, "nesting deeper" },
	{ "key is a list", H "? [a, b]\n: c\n", 5, 3,
	    "expected a name as key at the top level" },
	{ "duplicate key", H "slug: z\n", 5, 1,
	    "duplicate key 'slug' (first at line 1)" },
	{ "unknown top-level key", H "sponser: VP\n", 5, 1,
	    "unknown key 'sponser' (did you mean 'sponsor'?)" },

	/* identity */
	{ "missing name", "slug: x\npurpose: engagement\nformat: peer\n", 1, 1,
	    "missing required key 'name'" },
	{ "null name", "slug: x\nname:\npurpose: engagement\nformat: peer\n", 2,
	    1, "missing value for name" },
	{ "empty quoted name", "slug: x\nname: ''\npurpose: engagement\n"
	    "format: peer\n", 2, 7, "empty value for name" },
	{ "name is a mapping", "slug: x\nname: {en: X}\npurpose: engagement\n"
	    "format: peer\n", 2, 7,
	    "expected a string for name, found a mapping" },
	{ "slug upper case", "slug: Eng-2027\nname: X\npurpose: engagement\n"
	    "format: peer\n", 1, 7, "invalid slug 'Eng-2027'" },
	{ "slug trailing hyphen", "slug: eng-\nname: X\npurpose: engagement\n"
	    "format: peer\n", 1, 7, "must not begin or end with a hyphen" },
	{ "slug too long", "slug: "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa\nname: X\npurpose: engagement\nformat: peer\n", 1, 7,
	    "expected 1 to 64 characters" },
	{ "unknown purpose",
	    "slug: x\nname: X\npurpose: knowlege\nformat: peer\n", 3, 10,
	    "invalid value 'knowlege' for purpose (expected engagement" },
	{ "unknown format", "slug: x\nname: X\npurpose: engagement\n"
	    "format: one-on-one\n", 4, 9,
	    "invalid value 'one-on-one' for format" },
	{ "contact two at signs", H "contact: a@b@example.org\n", 5, 10,
	    "invalid e-mail address 'a@b@example.org' for contact" },
	{ "contact header injection", H
	    "contact: \"a@example.org\\r\\nBcc: x@example.org\"\n", 5, 10,
	    "invalid e-mail address 'a@example.org\\x0d\\nBcc" },
	{ "contact two addresses", H "contact: a@example.org, b@example.org\n",
	    5, 10, "invalid e-mail address" },
	{ "control character in owner", H "owner: \"People\\aDev\"\n", 5, 8,
	    "control character in value for owner" },
	{ "line break in sponsor", H "sponsor: \"VP\\nEngineering\"\n", 5, 10,
	    "line break in value for sponsor" },
	{ "description is a list", H "description: [a, b]\n", 5, 14,
	    "expected a string for description, found a list" },

	/* goals */
	{ "goals is a mapping", H "goals: {id: a}\n", 5, 8,
	    "expected a list for goals, found a mapping" },
	{ "goal is a string", H "goals:\n  - match everyone\n", 6, 5,
	    "expected a mapping for goals[1], found 'match everyone'" },
	{ "goal without statement", H
	    "goals:\n  - id: a\n    metric: match_rate\n", 6, 5,
	    "missing required key 'statement' in goals[1]" },
	{ "goal unknown key", H "goals:\n  - id: a\n    statment: s\n", 7, 5,
	    "unknown key 'statment' in goals[1] (did you mean "
	    "'statement'?)" },
	{ "goal id upper case", H "goals:\n  - { id: Match, statement: s }\n",
	    6, 11, "invalid goal id 'Match' for goals[1].id" },
	{ "duplicate goal id", H "goals:\n  - { id: a, statement: s }\n"
	    "  - { id: a, statement: t }\n", 7, 11,
	    "duplicate goal id 'a' in goals[2] (first at line 6)" },
	{ "unknown metric", H "goals:\n  - { id: a, statement: s, "
	    "metric: match_rat }\n", 6, 36,
	    "unknown metric 'match_rat' for goals[1].metric" },
	{ "target with junk", H "goals:\n  - { id: a, statement: s, "
	    "target: 0.95x }\n", 6, 36,
	    "invalid number '0.95x' for goals[1].target" },
	{ "rate target as percent", H "goals:\n  - { id: a, statement: s, "
	    "metric: match_rate, target: 95 }\n", 6, 56,
	    "out-of-range target '95' for goals[1].target (expected " "0..1" },
	{ "flash metric in another format", H "goals:\n  - { id: a, "
	    "statement: s, metric: flash_coverage }\n", 6, 36,
	    "metric 'flash_coverage' for goals[1].metric is for flash "
	    "programmes (this one is one-to-one)" },
	{ "flash target as percent", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 2, minutes: 5 }\ngoals:\n"
	    "  - { id: a, statement: s, metric: flash_attendance, target: 90 }\n",
	    7, 62, "out-of-range target '90' for goals[1].target (expected "
	    "0..1 for flash_attendance" },
	{ "satisfaction target", H "goals:\n  - { id: a, statement: s, "
	    "metric: satisfaction, target: 6 }\n", 6, 58, "expected 1..5" },
	{ "negative target", H "goals:\n  - { id: a, statement: s, "
	    "metric: days_to_match, target: -3 }\n", 6, 59,
	    "out-of-range value '-3' for goals[1].target" },
	{ "impossible due date", H "goals:\n  - { id: a, statement: s, "
	    "due: 2027-02-30 }\n", 6, 33,
	    "invalid date '2027-02-30' for goals[1].due (no such day)" },
	{ "malformed due date", H "goals:\n  - { id: a, statement: s, "
	    "due: 25/01/2027 }\n", 6, 33,
	    "invalid date '25/01/2027' for goals[1].due (expected "
	    "YYYY-MM-DD)" },

	/* roles */
	{ "unknown role key", H "roles:\n  mentor:\n    capcity: 2\n", 7, 5,
	    "unknown key 'capcity' in roles.mentor (did you mean "
	    "'capacity'?)" },
	{ "unknown role", H "roles:\n  coach: {}\n", 6, 3,
	    "unknown key 'coach' in roles" },
	{ "capacity zero", H "roles:\n  mentor: { capacity: 0 }\n", 6, 23,
	    "out-of-range value '0' for roles.mentor.capacity "
	    "(expected 1..1000)" },
	{ "capacity with junk", H "roles:\n  mentor: { capacity: 2x }\n", 6, 23,
	    "invalid integer '2x' for roles.mentor.capacity" },
	{ "capacity is a list", H "roles:\n  mentor: { capacity: [2] }\n", 6,
	    23, "expected an integer for roles.mentor.capacity, found a "
	    "list" },
	{ "mentee capacity", H "roles:\n  mentee: { capacity: 51 }\n", 6, 23,
	    "out-of-range value '51' for roles.mentee.capacity" },
	{ "mentee capacity in a group", "slug: x\nname: X\npurpose: "
	    "engagement\nformat: group\nroles:\n  mentee: { capacity: 2 }\n",
	    6, 3, "roles.mentee.capacity 2: a group programme gives each "
	    "mentee one group at a time" },
	{ "mentee min above capacity", H "roles:\n  mentee: { capacity: 2, "
	    "min: 3 }\n", 6, 3, "roles.mentee.min 3 is above "
	    "roles.mentee.capacity 2" },
	/* the criteria's vocabulary */
	{ "gap without points", H "matching:\n  criteria:\n    - { attribute: "
	    "level, compare: gap }\n", 7, 7, "missing required key 'points' "
	    "in matching.criteria[1] (compare 'gap' needs it)" },
	{ "gap points not a number", H "matching:\n  criteria:\n    - { "
	    "attribute: level, compare: gap, points: {1: x} }\n", 7, 53,
	    "invalid points 'x' for gap 1 in matching.criteria[1].points" },
	{ "gap twice", H "matching:\n  criteria:\n    - { attribute: level, "
	    "compare: gap, points: {1: 9, 01: 3} }\n", 7, 56,
	    "duplicate gap 1 in matching.criteria[1].points" },
	{ "gap all zero", H "matching:\n  criteria:\n    - { attribute: level, "
	    "compare: gap, points: {1: 0} }\n", 7, 49,
	    "every gap in matching.criteria[1].points has 0 points" },
	{ "gap on text", H "matching:\n  criteria:\n    - { attribute: email, "
	    "compare: gap, points: {1: 9} }\n", 7, 20, "attribute 'email' for "
	    "matching.criteria[1].attribute holds text, not numbers" },
	{ "mentor_above on a department", H "matching:\n  criteria:\n    - { "
	    "attribute: level, mentee_attribute: department, compare: "
	    "mentor_above }\n", 7, 45, "attribute 'department' for "
	    "matching.criteria[1].mentee_attribute holds text, not numbers" },
	{ "within_hours on a level", H "matching:\n  criteria:\n    - { "
	    "attribute: level, compare: within_hours, hours: 2 }\n", 7, 20,
	    "holds no time zones" },
	{ "not_in on a level", H "matching:\n  criteria:\n    - { attribute: "
	    "hired_on, compare: not_in }\n", 7, 20, "holds no e-mail "
	    "addresses" },
	{ "not_in with a weight", H "matching:\n  criteria:\n    - { "
	    "attribute: conflicts, compare: not_in, weight: 2 }\n", 7, 48,
	    "key 'weight' does not apply to compare 'not_in'" },
	{ "formula attribute", H "matching:\n  criteria:\n    - { attribute: "
	    "'=1+2', compare: same }\n", 7, 20, "attribute name '=1+2' for "
	    "matching.criteria[1].attribute begins with '='" },
	{ "preference with an attribute", H "matching:\n  criteria:\n    - { "
	    "attribute: skills, compare: preference }\n", 7, 9, "key "
	    "'attribute' does not apply to compare 'preference'" },
	{ "overlap without attribute", H "matching:\n  criteria:\n    - { "
	    "compare: overlap }\n", 7, 7, "missing required key 'attribute' "
	    "in matching.criteria[1]" },
	{ "waited days", H "matching:\n  criteria:\n    - { compare: waited, "
	    "days: 0 }\n", 7, 32, "out-of-range value '0' for "
	    "matching.criteria[1].days" },
	{ "previous partner excluded", H "matching:\n  exclude: "
	    "[previous_partners]\n  criteria:\n    - { compare: "
	    "previous_partner }\n", 6, 3, "matching.criteria[1] gives points "
	    "to previous partners, but matching.exclude has previous_partners" },
	{ "stable flash", "slug: x\nname: X\npurpose: engagement\nformat: "
	    "flash\nflash: { rounds: 2, minutes: 10 }\nmatching: { objective: "
	    "stable }\n", 6, 11, "matching.objective stable is for matched "
	    "formats, not flash" },
	{ "balance", H "matching: { balance: even }\n", 5, 22, "invalid value "
	    "'even' for matching.balance" },
	{ "tenure out of range", H "roles:\n  mentor:\n    eligibility: "
	    "{ min_tenure_years: 61 }\n", 7, 38, "out-of-range value '61' for "
	    "roles.mentor.eligibility.min_tenure_years (expected 0..60)" },
	{ "levels reversed", H "roles:\n  mentee:\n    eligibility:\n"
	    "      min_level: 5\n      max_level: 3\n", 9, 18,
	    "max_level 3 is below min_level 5 in " "roles.mentee.eligibility" },
	{ "duplicate training", H "roles:\n  mentor:\n    eligibility: "
	    "{ trainings: [basics, Basics] }\n", 7, 40,
	    "duplicate training 'Basics' in "
	    "roles.mentor.eligibility.trainings" },
	{ "empty training", H "roles:\n  mentor:\n    eligibility: "
	    "{ trainings: [basics, ''] }\n", 7, 40,
	    "empty value for roles.mentor.eligibility.trainings[2]" },
	{ "trainings is a string", H "roles:\n  mentor:\n    eligibility: "
	    "{ trainings: basics }\n", 7, 31,
	    "expected a list for roles.mentor.eligibility.trainings" },

	/* rotation: its periods are its cycles, with no re-up */
	{ "rotation with cycle.length", "slug: r\nname: R\npurpose: engagement\n"
	    "format: rotational\nrotation: { periods: 3, every: 1 month }\n"
	    "cycle:\n  start: 2027-01-11\n  length: 3 months\n", 8, 3,
	    "cycle.length does not apply to a rotational programme" },
	{ "rotation with cycle.reup", "slug: r\nname: R\npurpose: engagement\n"
	    "cycle:\n  start: 2027-01-11\n  reup: { opens: 7 days before end }\n"
	    "format: rotational\nrotation: { periods: 3, every: 1 month }\n", 6, 3,
	    "cycle.reup does not apply to a rotational programme" },
	{ "flash changeover", "slug: f\nname: F\npurpose: onboarding\n"
	    "format: flash\nflash: { rounds: 2, minutes: 5, changeover: 2 hours }\n",
	    5, 45, "invalid changeover '2 hours' for flash.changeover" },

	/* cycle */
	{ "impossible cycle start", H "cycle:\n  start: 2027-02-30\n"
	    "  length: 6 months\n", 6, 10,
	    "invalid date '2027-02-30' for cycle.start" },
	{ "cycle start is a list", H "cycle:\n  start: [2027-01-11]\n"
	    "  length: 6 months\n", 6, 10,
	    "expected a date for cycle.start, found a list" },
	{ "unknown duration unit", H "cycle:\n  length: 6 fortnights\n", 6, 11,
	    "invalid duration '6 fortnights' for cycle.length" },
	{ "duration with junk", H "cycle:\n  length: 6 months please\n", 6, 11,
	    "invalid duration '6 months please' for cycle.length" },
	{ "zero cycle length", H "cycle:\n  length: 0 months\n", 6, 11,
	    "zero duration '0 months' for cycle.length" },
	{ "huge cycle length", H "cycle:\n  length: 400 months\n", 6, 11,
	    "out-of-range duration '400 months' for cycle.length" },
	{ "cycle without length", H "cycle:\n  start: 2027-01-11\n", 6, 3,
	    "missing required key 'length' in cycle" },
	{ "reup without before end", H "cycle:\n  length: 6 months\n"
	    "  reup: { opens: 21 days }\n", 7, 18,
	    "invalid duration '21 days' for cycle.reup.opens (expected "
	    "N days, " "weeks, months or years before end)" },
	{ "reup closes before it opens", H "cycle:\n  length: 6 months\n"
	    "  reup: { opens: 7 days before end, closes: 21 days "
	    "before end }\n", 7, 45, "re-up window closes before it opens" },
	{ "reup does not fit", H "cycle:\n  length: 1 month\n"
	    "  reup: { opens: 30 days before end }\n", 7, 18,
	    "does not fit inside cycle.length '1 month'" },
	{ "reup does not fit with start", H "cycle:\n  start: 2027-02-01\n"
	    "  length: 1 month\n  reup: { opens: 4 weeks before end }\n", 8, 18,
	    "does not fit inside cycle.length" },
	{ "reup default", H "cycle:\n  length: 6 months\n"
	    "  reup: { opens: 2 weeks before end, default: maybe }\n", 7, 47,
	    "invalid value 'maybe' for cycle.reup.default (expected " "exit or "
	    "continue)" },

	/* check-ins */
	{ "every not a duration", H "checkins:\n  every: fortnightly\n", 6, 10,
	    "invalid duration 'fortnightly' for checkins.every" },
	{ "checkins without every", H "checkins:\n  remind: 2 days before\n", 6,
	    3, "missing required key 'every' in checkins" },
	{ "remind without before", H "checkins:\n  every: 2 weeks\n"
	    "  remind: 2 days\n", 7, 11,
	    "invalid duration '2 days' for checkins.remind (expected N "
	    "days, " "weeks, months or years before)" },
	{ "remind too early", H "checkins:\n  every: 1 week\n"
	    "  remind: 7 days before\n", 7, 11,
	    "is not shorter than checkins.every '1 week'" },
	{ "negative overdue", H "checkins:\n  every: 2 weeks\n"
	    "  overdue_after: -5 days\n", 7, 18,
	    "invalid duration '-5 days' for checkins.overdue_after" },
	{ "stalled without missed", H "checkins:\n  every: 2 weeks\n"
	    "  stalled_after: 2\n", 7, 18,
	    "invalid value '2' for checkins.stalled_after (expected N "
	    "missed)" },
	{ "stalled out of range", H "checkins:\n  every: 2 weeks\n"
	    "  stalled_after: 53 missed\n", 7, 18, "expected 1..52 missed" },
	{ "prompt is a mapping", H "checkins:\n  every: 2 weeks\n  prompts:\n"
	    "    - Getting to know each other\n    - { topic: goals }\n", 9, 7,
	    "expected a string for checkins.prompts[2], found a mapping" },
	{ "empty prompt", H "checkins:\n  every: 2 weeks\n  prompts:\n"
	    "    - Getting to know each other\n    -\n", 9, 6,
	    "empty value for checkins.prompts[2]" },
	{ "multi-line prompt", H "checkins:\n  every: 2 weeks\n  prompts:\n"
	    "    - |\n      one\n      two\n", 8, 7,
	    "line break in value for checkins.prompts[1]" },

	/* matching */
	{ "consent", H "matching:\n  consent: all\n", 6, 12,
	    "invalid value 'all' for matching.consent (expected both, "
	    "mentee or " "none)" },
	{ "objective", H "matching:\n  objective: best\n", 6, 14,
	    "invalid value 'best' for matching.objective" },
	{ "min_score out of range", H "matching:\n  min_score: 101\n", 6, 14,
	    "out-of-range value '101' for matching.min_score (expected "
	    "0..100)" },
	{ "min_score hex", H "matching:\n  min_score: 0x10\n", 6, 14,
	    "invalid number '0x10' for matching.min_score" },
	{ "min_score nan", H "matching:\n  min_score: .nan\n", 6, 14,
	    "invalid number '.nan'" },
	{ "respond_within zero", H "matching:\n  respond_within: 0 days\n", 6,
	    19, "zero duration '0 days' for matching.respond_within" },
	{ "criteria is a mapping", H
	    "matching:\n  criteria: { attribute: x }\n", 6, 13,
	    "expected a list for matching.criteria" },
	{ "criterion without compare", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, weight: 2 }\n", 7, 7,
	    "missing required key 'compare' in matching.criteria[1]" },
	{ "criterion without attribute", H "matching:\n  criteria:\n"
	    "    - { compare: same }\n", 7, 7,
	    "missing required key 'attribute' in matching.criteria[1]" },
	{ "unknown compare", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, compare: similar }\n", 7, 37,
	    "invalid value 'similar' for matching.criteria[1].compare" },
	{ "hours on overlap", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, compare: overlap, hours: 3 }\n", 7, 46,
	    "key 'hours' does not apply to compare 'overlap' in "
	    "matching.criteria[1]" },
	{ "scale on mentor_above", H "matching:\n  criteria:\n"
	    "    - { attribute: level, compare: mentor_above, scale: 3 " "}\n",
	    7, 50, "key 'scale' does not apply to compare 'mentor_above'" },
	{ "within_hours without hours", H "matching:\n  criteria:\n"
	    "    - { attribute: timezone, compare: within_hours }\n", 7, 7,
	    "missing required key 'hours' in matching.criteria[1] " "(compare "
	    "'within_hours' needs it)" },
	{ "close without scale", H "matching:\n  criteria:\n"
	    "    - { attribute: level, compare: close }\n", 7, 7,
	    "missing required key 'scale' in matching.criteria[1]" },
	{ "zero weight", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, compare: overlap, weight: 0 }\n", 7, 54,
	    "out-of-range value '0' for matching.criteria[1].weight "
	    "(expected " "more than 0 and at most 100)" },
	{ "weight above 100", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, compare: overlap, weight: " "100.5 }\n",
	    7, 54,
	    "out-of-range value '100.5' for matching.criteria[1].weight" },
	{ "hours above 26", H "matching:\n  criteria:\n"
	    "    - { attribute: tz, compare: within_hours, hours: 27 " "}\n", 7,
	    54, "out-of-range value '27' for matching.criteria[1].hours "
	    "(expected " "0..26)" },
	{ "max_gap not an integer", H "matching:\n  criteria:\n"
	    "    - { attribute: level, compare: within, max_gap: 1.5 " "}\n", 7,
	    53, "invalid integer '1.5' for matching.criteria[1].max_gap" },
	{ "negative min_gap", H "matching:\n  criteria:\n"
	    "    - { attribute: level, compare: mentor_above, min_gap: "
	    "-1 }\n", 7, 59,
	    "out-of-range value '-1' for matching.criteria[1].min_gap" },
	{ "required not a boolean", H "matching:\n  criteria:\n"
	    "    - { attribute: skills, compare: same, required: maybe " "}\n",
	    7, 53,
	    "invalid boolean 'maybe' for matching.criteria[1].required" },
	{ "unknown exclusion", H "matching:\n  exclude: [same_manager]\n", 6,
	    13, "unknown exclusion 'same_manager' in matching.exclude" },
	{ "duplicate exclusion", H "matching:\n  exclude: [previous_partners, "
	    "previous_partners]\n", 6, 32,
	    "duplicate exclusion 'previous_partners' in " "matching.exclude" },

	/* confidentiality and format blocks */
	{ "notes", H "confidentiality:\n  notes: public\n", 6, 10,
	    "invalid value 'public' for confidentiality.notes "
	    "(expected private " "or shared)" },
	{ "flash block in one-to-one", H "flash: { rounds: 4, minutes: 10 }\n",
	    5, 1, "unexpected block 'flash' in a one-to-one programme" },
	{ "peer block in group", "slug: x\nname: X\npurpose: engagement\n"
	    "format: group\npeer: { max_level_gap: 1 }\n", 5, 1,
	    "unexpected block 'peer' in a group programme" },
	{ "flash without block", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\n", 1, 1,
	    "missing required key 'flash' for format flash" },
	{ "rotational with null block",
	    "slug: x\nname: X\npurpose: engagement\n"
	    "format: rotational\nrotation:\n", 5, 1,
	    "missing value for rotation" },
	{ "flash rounds zero", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 0, minutes: 10 }\n", 5, 18,
	    "out-of-range value '0' for flash.rounds (expected 1..50)" },
	{ "flash minutes", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4, minutes: 241 }\n", 5, 30,
	    "out-of-range value '241' for flash.minutes (expected " "1..240)" },
	{ "flash table size", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4, minutes: 10, "
	    "table_size: 11 }\n", 5, 46,
	    "out-of-range value '11' for flash.table_size (expected "
	    "1..10)" },
	{ "flash date", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4, minutes: 10, date: "
	    "2027-04-31 }\n", 5, 40,
	    "invalid date '2027-04-31' for flash.date" },
	{ "flash start", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4, minutes: 10, start: 24:00, "
	    "timezone: UTC }\n", 5, 41,
	    "invalid time '24:00' for flash.start (expected HH:MM, 00:00 to "
	    "23:59)" },
	{ "flash start without zone", "slug: x\nname: X\npurpose: "
	    "engagement\nformat: flash\nflash: { rounds: 4, minutes: 10, "
	    "start: \"14:00\" }\n", 5, 8,
	    "flash.start needs flash.timezone (the zone of the session's "
	    "clock times)" },
	{ "flash zone", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4, minutes: 10, start: 9:30, "
	    "timezone: Mars/Olympus }\n", 5, 57,
	    "unknown time zone 'Mars/Olympus' for flash.timezone" },
	{ "flash without minutes", "slug: x\nname: X\npurpose: engagement\n"
	    "format: flash\nflash: { rounds: 4 }\n", 5, 8,
	    "missing required key 'minutes' in flash" },
	{ "rotation without every", "slug: x\nname: X\npurpose: engagement\n"
	    "format: rotational\nrotation: { periods: 12 }\n", 5, 11,
	    "missing required key 'every' in rotation" },
	{ "rotation periods", "slug: x\nname: X\npurpose: engagement\n"
	    "format: rotational\nrotation: { periods: 53, every: 1 " "week }\n",
	    5, 22, "out-of-range value '53' for rotation.periods (expected "
	    "1..52)" },
	{ "group max_per_department", "slug: x\nname: X\npurpose: engagement\n"
	    "format: group\ngroup: { max_per_department: 0 }\n", 5, 30,
	    "out-of-range value '0' for group.max_per_department" },
	{ "group diversity boolean", "slug: x\nname: X\npurpose: engagement\n"
	    "format: group\ngroup: { department_diversity: sometimes " "}\n", 5,
	    32, "invalid boolean 'sometimes' for group.department_diversity" },
	{ "peer level gap", "slug: x\nname: X\npurpose: engagement\n"
	    "format: peer\npeer: { max_level_gap: -1 }\n", 5, 24,
	    "out-of-range value '-1' for peer.max_level_gap" },
	{ "peer unknown key", "slug: x\nname: X\npurpose: engagement\n"
	    "format: peer\npeer: { max_gap: 2 }\n", 5, 9,
	    "unknown key 'max_gap' in peer" },
};

static void
dump_diags(const struct diags *d)
{
	size_t i;
	char *s;

	for (i = 0; i < d->n; i++) {
		s = diag_format(&d->v[i]);
		print_message("  diag: %s\n", s);
		free(s);
	}
}

static bool
has_diag(const struct diags *d, int line, int col, const char *msg)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].line == line && (col == 0 || d->v[i].col == col) &&
		    strstr(d->v[i].msg, msg) != NULL)
			return true;
	return false;
}

static struct program *
parse(const char *yaml, struct diags *d)
{
	return cfg_program_parse("t.yaml", yaml, strlen(yaml), d);
}


/* The vocabulary of issue 19: every new key read as written. */
static void
test_listening_vocabulary(void **state)
{
	struct diags d = DIAGS_INIT;
	struct program *p;
	const struct match_criterion *c;

	(void)state;
	p = parse(H "roles:\n  mentee: { capacity: 3, min: 1 }\n"
	    "matching:\n  objective: stable\n"
	    "  criteria:\n"
	    "    - { attribute: level, compare: gap, points: {2: 12, 1: 9, -1: 1},"
	    " weight: 3, required: true }\n"
	    "    - { attribute: conflicts, compare: not_in }\n"
	    "    - { attribute: manager_email, compare: not_in }\n"
	    "    - { compare: preference, weight: 5 }\n"
	    "    - { compare: waited, days: 30 }\n"
	    "    - { compare: previous_partner, weight: 2 }\n"
	    "    - { attribute: email, mentee_attribute: name, compare: same }\n"
	    "    - { attribute: tenure, compare: close, scale: 2 }\n", &d);
	if (p == NULL && d.n > 0)
		fprintf(stderr, "%s\n", d.v[0].msg);
	assert_non_null(p);
	assert_int_equal(p->mentee.capacity, 3);
	assert_int_equal(p->mentee.min, 1);
	assert_int_equal(p->matching.objective, OBJECTIVE_STABLE);
	assert_int_equal(p->matching.ncriteria, 8);
	c = &p->matching.criteria[0];
	assert_int_equal(c->compare, COMPARE_GAP);
	assert_int_equal(c->npoints, 3);
	assert_int_equal(c->points[0].gap, -1);   /* sorted */
	assert_true(c->points[2].points == 12);
	assert_true(c->required);
	assert_int_equal(p->matching.criteria[1].compare, COMPARE_NOT_IN);
	assert_false(match_criterion_scores(&p->matching.criteria[1]));
	assert_string_equal(p->matching.criteria[3].attribute, "");
	assert_false(match_criterion_has_attribute(&p->matching.criteria[3]));
	assert_int_equal(p->matching.criteria[4].days, 30);
	assert_int_equal(p->matching.criteria[5].compare,
	    COMPARE_PREVIOUS_PARTNER);
	program_free(p);
	diags_free(&d);
	p = parse(H "matching: { balance: spread }\n", &d);
	assert_non_null(p);
	assert_int_equal(p->matching.balance, BALANCE_SPREAD);
	program_free(p);
	diags_free(&d);
}

static void
test_bad_case(void **state)
{
	const struct bad_case *bc = *state;
	struct diags d = DIAGS_INIT;
	struct program *p;
	size_t i;

	p = cfg_program_parse("t.yaml", bc->yaml, strlen(bc->yaml), &d);
	if (p != NULL || !has_diag(&d, bc->line, bc->col, bc->msg)) {
		print_message("case '%s': want %d:%d: %s\n", bc->name, bc->line,
		    bc->col, bc->msg);
		dump_diags(&d);
	}
	assert_null(p);
	assert_true(d.n >= 1);
	assert_true(has_diag(&d, bc->line, bc->col, bc->msg));
	for (i = 0; i < d.n; i++) {
		assert_string_equal(d.v[i].file, "t.yaml");
		/* one line each, and the style of the rest of mentorctl */
		assert_null(strchr(d.v[i].msg, '\n'));
		assert_true(d.v[i].msg[0] >= 'a' && d.v[i].msg[0] <= 'z');
		assert_int_not_equal(d.v[i].msg[strlen(d.v[i].msg) - 1], '.');
	}
	diags_free(&d);
}

/* ---- several problems in one file ------------------------------------- */

static void
test_all_problems_reported(void **state)
{
	static const char yaml[] =
	    "slug: Bad Slug\n"                            /* 1 */
	    "name: Broken\n"
	    "purpose: fun\n"                              /* 3 */
	    "format: one-to-one\n"
	    "cycle:\n"
	    "  start: 2027-02-30\n"                       /* 6 */
	    "  length: 6 fortnights\n"                    /* 7 */
	    "matching:\n"
	    "  min_score: 120\n"                          /* 9 */
	    "  critera: []\n"                             /* 10 */
	    "goals:\n"
	    "  - { id: a, statement: s, metric: nope }\n" /* 12 */
	    "  - { id: a, statement: t }\n"               /* 13 */
	    "roles:\n"
	    "  mentor: { capacity: 1001 }\n"              /* 15 */
	    "flash: { rounds: 3 }\n";                     /* 16 */
	struct diags d = DIAGS_INIT;
	struct program *p;
	size_t i;

	(void)state;
	p = parse(yaml, &d);
	assert_null(p);
	if (d.n != 10)
		dump_diags(&d);
	assert_int_equal(d.n, 10);
	assert_true(has_diag(&d, 1, 7, "invalid slug 'Bad Slug'"));
	assert_true(has_diag(&d, 3, 10, "invalid value 'fun' for purpose"));
	assert_true(has_diag(&d, 6, 10, "invalid date '2027-02-30'"));
	assert_true(has_diag(&d, 7, 11, "invalid duration '6 fortnights'"));
	assert_true(has_diag(&d, 9, 14, "out-of-range value '120'"));
	assert_true(has_diag(&d, 10, 3, "unknown key 'critera' in matching "
	    "(did you mean 'criteria'?)"));
	assert_true(has_diag(&d, 12, 36, "unknown metric 'nope'"));
	assert_true(has_diag(&d, 13, 11, "duplicate goal id 'a'"));
	assert_true(has_diag(&d, 15, 23, "out-of-range value '1001'"));
	assert_true(has_diag(&d, 16, 1, "unexpected block 'flash'"));
	/* in the order of the file */
	for (i = 1; i < d.n; i++)
		assert_true(d.v[i - 1].line <= d.v[i].line);
	diags_free(&d);
}

static void
test_problems_in_every_criterion(void **state)
{
	static const char yaml[] = H
	    "matching:\n"
	    "  criteria:\n"
	    "    - { attribute: a, compare: overlap, weight: 0 }\n"     /* 7 */
	    "    - { attribute: b, compare: within_hours }\n"           /* 8 */
	    "    - { attribute: c, compare: close, scale: -1 }\n"       /* 9 */
	    "    - { attribute: d, compare: same, min_gap: 2 }\n"       /* 10 */
	    "    - { attribute: e, compare: within, max_gap: 2 }\n"; /* ok */
	struct diags d = DIAGS_INIT;

	(void)state;
	assert_null(parse(yaml, &d));
	if (d.n != 4)
		dump_diags(&d);
	assert_int_equal(d.n, 4);
	assert_true(has_diag(&d, 7, 0, "criteria[1].weight"));
	assert_true(has_diag(&d, 8, 0, "missing required key 'hours' in "
	    "matching.criteria[2]"));
	assert_true(has_diag(&d, 9, 0, "criteria[3].scale"));
	assert_true(has_diag(&d, 10, 0, "key 'min_gap' does not apply to "
	    "compare 'same' in matching.criteria[4]"));
	diags_free(&d);
}

static void
test_missing_required_keys(void **state)
{
	struct diags d = DIAGS_INIT;

	(void)state;
	assert_null(parse("owner: Someone\n", &d));
	assert_int_equal(d.n, 4);
	assert_true(has_diag(&d, 1, 1, "missing required key 'slug'"));
	assert_true(has_diag(&d, 1, 1, "missing required key 'name'"));
	assert_true(has_diag(&d, 1, 1, "missing required key 'purpose'"));
	assert_true(has_diag(&d, 1, 1, "missing required key 'format'"));
	diags_free(&d);
}

/* A garbage file must not bury the terminal in messages. */
static void
test_too_many_problems(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct diags d = DIAGS_INIT;
	int i;

	(void)state;
	strbuf_addstr(&sb, H);
	for (i = 0; i < 500; i++)
		strbuf_addf(&sb, "junk%d: 1\n", i);
	assert_null(parse(sb.buf, &d));
	assert_int_equal(d.n, 201);
	assert_true(has_diag(&d, 5, 1, "unknown key 'junk0'"));
	assert_int_equal(d.v[200].line, 0);
	assert_non_null(strstr(d.v[200].msg, "too many problems"));
	diags_free(&d);
	strbuf_release(&sb);
}

/* Aliases share nodes: a few bytes must not expand into millions of visits. */
static void
test_alias_expansion_bounded(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct diags d = DIAGS_INIT;
	int i;

	(void)state;
	strbuf_addstr(&sb, H "matching:\n  criteria: [&c { attribute: skills, "
	    "compare: overlap }");
	for (i = 0; i < 20000; i++)
		strbuf_addstr(&sb, ", *c");
	strbuf_addstr(&sb, "]\n");
	assert_null(parse(sb.buf, &d));
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg,
	    "too many items in matching.criteria (at most 1000)"));
	diags_free(&d);
	strbuf_release(&sb);
}

/* Random bytes: whatever they are, a clean list of problems and no crash. */
static void
test_junk_input(void **state)
{
	char buf[4096];
	struct diags d = DIAGS_INIT;
	unsigned seed = 12345;
	size_t i;
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < sizeof buf; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = (char)(seed >> 16);
		}
		/* half of the rounds printable, to get past the reader */
		if (round % 2)
			for (i = 0; i < sizeof buf; i++)
				buf[i] = " :-[]{}#&*!|>'\"%@`,?\nabc0129\t"[
				    (unsigned char)buf[i] % 30];
		assert_null(cfg_program_parse("junk", buf, sizeof buf, &d));
		assert_true(d.n >= 1);
		diags_free(&d);
	}
}

/* ---- good files --------------------------------------------------------- */

static char *
sample_path(const char *file)
{
	const char *top = getenv("TOP");

	return xasprintf("%s/data/programs/%s", top && *top ? top : ".", file);
}

static struct program *
load_sample(const char *file)
{
	struct diags d = DIAGS_INIT;
	struct error err = ERROR_INIT;
	struct program *p;
	char *path = sample_path(file);

	p = cfg_program_load(path, &d, &err);
	if (p == NULL) {
		print_message("%s: %s\n", path, err.msg ? err.msg : "?");
		dump_diags(&d);
	}
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	diags_free(&d);
	error_clear(&err);
	free(path);
	return p;
}

static int
D(const char *s)
{
	int d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

static void
test_sample_eng_2027(void **state)
{
	struct program *p = load_sample("eng-2027.yaml");
	const struct match_criterion *c;

	(void)state;
	assert_string_equal(p->slug, "eng-2027");
	assert_string_equal(p->name, "Engineering Mentoring 2027");
	assert_int_equal(p->purpose, PURPOSE_KNOWLEDGE_TRANSFER);
	assert_int_equal(p->format, FORMAT_ONE_TO_ONE);
	assert_string_equal(p->owner, "People Development");
	assert_string_equal(p->contact, "mentoring@example.org");
	assert_string_equal(p->sponsor, "VP Engineering");
	assert_non_null(p->description);
	assert_non_null(strstr(p->description, "Six-month"));

	assert_true(p->ngoals >= 1);
	assert_string_equal(p->goals[0].id, "match-rate");
	assert_string_equal(p->goals[0].statement,
	    "Match 95% of eligible mentees within two weeks of launch");
	assert_string_equal(p->goals[0].metric, "match_rate");
	assert_true(p->goals[0].has_target);
	assert_true(p->goals[0].target == 0.95);
	assert_int_equal(p->goals[0].due, D("2027-01-25"));

	assert_int_equal(p->mentor.capacity, 2);
	assert_true(p->mentor.eligibility.has_min_tenure);
	assert_true(p->mentor.eligibility.min_tenure_years == 3);
	assert_false(p->mentor.eligibility.has_min_level);
	assert_false(p->mentor.eligibility.has_max_level);
	assert_int_equal(p->mentor.eligibility.ntrainings, 1);
	assert_string_equal(p->mentor.eligibility.trainings[0],
	    "mentor-basics");
	assert_int_equal(p->mentee.capacity, 1);
	assert_false(p->mentee.eligibility.has_min_tenure);
	assert_int_equal(p->mentee.eligibility.ntrainings, 1);
	assert_string_equal(p->mentee.eligibility.trainings[0],
	    "mentee-orientation");

	assert_true(p->cycle.present);
	assert_int_equal(p->cycle.start, D("2027-01-11"));
	assert_int_equal(p->cycle.length.n, 6);
	assert_int_equal(p->cycle.length.unit, DATE_UNIT_MONTH);
	assert_int_equal(p->cycle.reup_opens.n, 21);
	assert_int_equal(p->cycle.reup_opens.unit, DATE_UNIT_DAY);
	assert_int_equal(p->cycle.reup_closes.n, 7);
	assert_int_equal(p->cycle.reup_closes.unit, DATE_UNIT_DAY);
	assert_int_equal(p->cycle.reup_default, REUP_DEFAULT_EXIT);

	assert_true(p->checkins.present);
	assert_int_equal(p->checkins.every.n, 2);
	assert_int_equal(p->checkins.every.unit, DATE_UNIT_WEEK);
	assert_int_equal(p->checkins.remind_before.n, 2);
	assert_int_equal(p->checkins.remind_before.unit, DATE_UNIT_DAY);
	assert_int_equal(p->checkins.overdue_after.n, 5);
	assert_int_equal(p->checkins.overdue_after.unit, DATE_UNIT_DAY);
	assert_int_equal(p->checkins.stalled_after, 2);
	assert_true(p->checkins.nprompts >= 6);
	assert_string_equal(p->checkins.prompts[0],
	    "Explore each other's past - career paths and turning points");
	assert_string_equal(p->checkins.prompts[1],
	    "The mentee's ambitions, goals, needs and challenges");

	assert_int_equal(p->matching.consent, CONSENT_BOTH);
	assert_int_equal(p->matching.respond_within.n, 10);
	assert_int_equal(p->matching.respond_within.unit, DATE_UNIT_DAY);
	assert_int_equal(p->matching.objective, OBJECTIVE_COVERAGE);
	assert_true(p->matching.min_score == 20);
	assert_int_equal(p->matching.ncriteria, 4);
	c = &p->matching.criteria[0];
	assert_string_equal(c->attribute, "skills");
	assert_string_equal(c->mentee_attribute, "wants");
	assert_int_equal(c->compare, COMPARE_OVERLAP);
	assert_true(c->weight == 5);
	assert_false(c->required);
	c = &p->matching.criteria[1];
	assert_string_equal(c->attribute, "department");
	assert_null(c->mentee_attribute);
	assert_int_equal(c->compare, COMPARE_DIFFERENT);
	assert_true(c->weight == 2);
	c = &p->matching.criteria[2];
	assert_string_equal(c->attribute, "timezone");
	assert_int_equal(c->compare, COMPARE_WITHIN_HOURS);
	assert_true(c->hours == 3);
	c = &p->matching.criteria[3];
	assert_string_equal(c->attribute, "level");
	assert_int_equal(c->compare, COMPARE_MENTOR_ABOVE);
	assert_int_equal(c->min_gap, 1);
	assert_true(c->weight == 3);
	assert_int_equal(p->matching.exclude,
	    EXCLUDE_SAME_MANAGER_LINE | EXCLUDE_PREVIOUS_PARTNERS);
	assert_true(p->notes_private);

	/* blocks of other formats keep their defaults */
	assert_int_equal(p->peer.max_level_gap, 1);
	assert_true(p->group.department_diversity);
	assert_int_equal(p->flash.date, DATE_NONE);
	program_free(p);
}

static void
test_sample_group(void **state)
{
	struct program *p = load_sample("leadership-circles-2027.yaml");

	(void)state;
	assert_int_equal(p->format, FORMAT_GROUP);
	assert_int_equal(p->purpose, PURPOSE_LEADERSHIP);
	assert_int_equal(p->mentor.capacity, 5);
	assert_true(p->group.department_diversity);
	assert_int_equal(p->group.max_per_department, 1);
	assert_true(p->mentee.eligibility.has_min_level);
	assert_int_equal(p->mentee.eligibility.min_level, 4);
	assert_int_equal(p->mentee.eligibility.max_level, 6);
	assert_int_equal(p->mentor.eligibility.ntrainings, 2);
	assert_int_equal(p->cycle.reup_opens.unit, DATE_UNIT_MONTH);
	assert_true(p->checkins.nprompts >= 6);
	assert_true(p->matching.criteria[1].required);
	assert_int_equal(p->matching.exclude,
	    EXCLUDE_SAME_MANAGER_LINE | EXCLUDE_SAME_DEPARTMENT);
	program_free(p);
}

static void
test_sample_peer(void **state)
{
	struct program *p = load_sample("peer-managers-2027.yaml");

	(void)state;
	assert_int_equal(p->format, FORMAT_PEER);
	assert_int_equal(p->peer.max_level_gap, 1);
	assert_int_equal(p->cycle.reup_default, REUP_DEFAULT_CONTINUE);
	assert_int_equal(p->matching.objective, OBJECTIVE_SCORE);
	assert_int_equal(p->matching.criteria[0].compare, COMPARE_WITHIN);
	assert_int_equal(p->matching.criteria[0].max_gap, 1);
	assert_int_equal(p->matching.criteria[4].compare, COMPARE_CLOSE);
	assert_true(p->matching.criteria[4].scale == 6);
	assert_true(p->checkins.nprompts >= 6);
	program_free(p);
}

static void
test_sample_reverse(void **state)
{
	struct program *p = load_sample("reverse-digital-2027.yaml");

	(void)state;
	assert_int_equal(p->format, FORMAT_REVERSE);
	assert_int_equal(p->purpose, PURPOSE_CULTURE_CHANGE);
	assert_true(p->mentor.eligibility.has_max_level);
	assert_int_equal(p->mentor.eligibility.max_level, 3);
	assert_int_equal(p->mentee.eligibility.min_level, 5);
	assert_int_equal(p->matching.criteria[0].compare, COMPARE_MENTEE_ABOVE);
	assert_int_equal(p->matching.criteria[0].min_gap, 4);
	assert_true(p->checkins.nprompts >= 6);
	program_free(p);
}

static void
test_sample_flash(void **state)
{
	struct program *p = load_sample("speed-mentoring-2027.yaml");

	(void)state;
	assert_int_equal(p->format, FORMAT_FLASH);
	assert_int_equal(p->flash.rounds, 5);
	assert_int_equal(p->flash.minutes, 12);
	assert_int_equal(p->flash.table_size, 2);
	assert_int_equal(p->flash.date, D("2027-03-18"));
	assert_false(p->flash.has_start);
	assert_int_equal(p->matching.consent, CONSENT_NONE);
	assert_false(p->notes_private);
	assert_true(p->checkins.nprompts >= 6);
	program_free(p);
}

static void
test_sample_rotational(void **state)
{
	struct program *p = load_sample("rotation-product-2027.yaml");

	(void)state;
	assert_int_equal(p->format, FORMAT_ROTATIONAL);
	assert_int_equal(p->rotation.periods, 12);
	assert_int_equal(p->rotation.every.n, 1);
	assert_int_equal(p->rotation.every.unit, DATE_UNIT_MONTH);
	assert_int_equal(p->matching.consent, CONSENT_MENTEE);
	/* the periods are the cycles: only cycle.start applies */
	assert_true(p->cycle.present);
	assert_int_equal(p->cycle.length.n, 0);
	assert_true(p->checkins.nprompts >= 6);
	program_free(p);
}

static void
test_minimal_defaults(void **state)
{
	struct diags d = DIAGS_INIT;
	struct program *p;

	(void)state;
	p = parse("slug: m\nname: Minimal\npurpose: inclusion\n"
	    "format: one-to-one\n", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_null(p->owner);
	assert_null(p->contact);
	assert_null(p->sponsor);
	assert_null(p->description);
	assert_int_equal(p->ngoals, 0);
	assert_int_equal(p->mentor.capacity, 1);
	assert_int_equal(p->mentee.capacity, 1);
	assert_false(p->cycle.present);
	assert_int_equal(p->cycle.start, DATE_NONE);
	assert_int_equal(p->cycle.reup_default, REUP_DEFAULT_EXIT);
	assert_false(p->checkins.present);
	assert_int_equal(p->matching.consent, CONSENT_BOTH);
	assert_int_equal(p->matching.objective, OBJECTIVE_COVERAGE);
	assert_true(p->matching.min_score == 0);
	assert_int_equal(p->matching.respond_within.n, 10);
	assert_int_equal(p->matching.respond_within.unit, DATE_UNIT_DAY);
	assert_int_equal(p->matching.ncriteria, 0);
	assert_int_equal(p->matching.exclude, 0);
	assert_true(p->notes_private);
	assert_int_equal(p->peer.max_level_gap, 1);
	assert_true(p->group.department_diversity);
	assert_int_equal(p->group.max_per_department, 1);
	assert_int_equal(p->flash.table_size, 1);
	assert_int_equal(p->flash.date, DATE_NONE);
	program_free(p);
}

/* flash.start and flash.timezone: a clock time in a zone. */
static void
test_flash_start(void **state)
{
	struct diags d = DIAGS_INIT;
	struct program *p;

	(void)state;
	p = parse("slug: f\nname: F\npurpose: onboarding\nformat: flash\n"
	    "flash: { rounds: 3, minutes: 10, date: 2027-03-18, start: 9:05, "
	    "timezone: Europe/Paris }\n", &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_true(p->flash.has_start);
	assert_int_equal(p->flash.start, 9 * 60 + 5);
	assert_string_equal(p->flash.timezone, "Europe/Paris");
	program_free(p);
	p = parse("slug: f\nname: F\npurpose: onboarding\nformat: flash\n"
	    "flash: { rounds: 3, minutes: 10, start: \"23:59\", "
	    "timezone: UTC+01:00 }\n", &d);
	assert_non_null(p);
	assert_int_equal(p->flash.start, 23 * 60 + 59);
	assert_string_equal(p->flash.timezone, "UTC+01:00");
	assert_int_equal(p->flash.changeover, 0);
	program_free(p);
	p = parse("slug: f\nname: F\npurpose: onboarding\nformat: flash\n"
	    "flash: { rounds: 3, minutes: 10, changeover: 2 minutes }\n", &d);
	assert_non_null(p);
	assert_int_equal(p->flash.changeover, 2);
	program_free(p);
	p = parse("slug: f\nname: F\npurpose: onboarding\nformat: flash\n"
	    "flash: { rounds: 3, minutes: 10, changeover: 5 }\n", &d);
	assert_non_null(p);
	assert_int_equal(p->flash.changeover, 5);
	program_free(p);
	diags_free(&d);
}

/* YAML spellings people use, all meaning what they say. */
static void
test_lenient_forms(void **state)
{
	static const char yaml[] =
	    "\xef\xbb\xbf"                              /* a BOM from Windows */
	    "slug: lenient\r\n"
	    "name: \"  Quoted Name  \"\r\n"
	    "purpose: engagement\r\n"
	    "format: group\r\n"
	    "owner:\r\n"                                /* null: absent */
	    "sponsor: ~\r\n"
	    "group: { department_diversity: no, max_per_department: 2 }\r\n"
	    "goals:\r\n"
	    "  - id: g_1\r\n"
	    "    statement: >\r\n"
	    "      A folded\r\n"
	    "      statement\r\n"
	    "    target: '0.5'\r\n"                     /* quoted number */
	    "    due: \"2028-02-29\"\r\n"               /* quoted, leap day */
	    "roles:\r\n"
	    "  mentor:\r\n"
	    "    eligibility: &elig { trainings: [basics], min_level: 2 }\r\n"
	    "  mentee:\r\n"
	    "    capacity: 1\r\n"
	    "    eligibility: *elig\r\n"
	    "cycle:\r\n"
	    "  length: 1 year\r\n"
	    "  reup: { opens: 1 month before end }\r\n"
	    "checkins:\r\n"
	    "  every: 1 week\r\n"
	    "  remind: 0 days before\r\n"
	    "  overdue_after: 0 days\r\n"
	    "  stalled_after: 1   missed\r\n"
	    "matching:\r\n"
	    "  min_score: 12.5\r\n"
	    "  criteria:\r\n"
	    "    - attribute: languages\r\n"
	    "      compare: overlap\r\n"
	    "      required: Yes\r\n"
	    "    - { attribute: level, compare: within }\r\n"
	    "    - { attribute: level, compare: mentee_above, weight: 0.5 }\r\n"
	    "  exclude: []\r\n";
	struct diags d = DIAGS_INIT;
	struct program *p;

	(void)state;
	p = parse(yaml, &d);
	if (p == NULL)
		dump_diags(&d);
	assert_non_null(p);
	assert_string_equal(p->slug, "lenient");
	assert_string_equal(p->name, "Quoted Name");
	assert_null(p->owner);
	assert_null(p->sponsor);
	assert_false(p->group.department_diversity);
	assert_int_equal(p->group.max_per_department, 2);
	assert_string_equal(p->goals[0].statement, "A folded statement");
	assert_null(p->goals[0].metric);
	assert_true(p->goals[0].target == 0.5);
	assert_int_equal(p->goals[0].due, D("2028-02-29"));
	assert_int_equal(p->mentee.eligibility.ntrainings, 1);
	assert_int_equal(p->mentee.eligibility.min_level, 2);
	assert_int_equal(p->cycle.length.unit, DATE_UNIT_YEAR);
	assert_int_equal(p->cycle.reup_opens.n, 1);
	assert_int_equal(p->cycle.reup_closes.n, 0);
	assert_int_equal(p->checkins.remind_before.n, 0);
	assert_int_equal(p->checkins.stalled_after, 1);
	assert_true(p->matching.min_score == 12.5);
	assert_true(p->matching.criteria[0].required);
	assert_true(p->matching.criteria[0].weight == 1);
	assert_int_equal(p->matching.criteria[1].max_gap, 0);
	assert_int_equal(p->matching.criteria[2].min_gap, 1);
	assert_true(p->matching.criteria[2].weight == 0.5);
	program_free(p);
}

/* Month lengths are checked against the real calendar when start is known. */
static void
test_reup_against_start(void **state)
{
	struct diags d = DIAGS_INIT;
	struct program *p;

	(void)state;
	/*
	 * 2027-01-01 + 1 month is 31 days, but cycle 2 runs through February
	 * (28 days): a 30-day window must fit every cycle, so it is refused.
	 */
	assert_null(parse(H "cycle:\n  start: 2027-01-01\n  length: 1 month\n"
	    "  reup: { opens: 30 days before end }\n", &d));
	assert_int_equal(d.n, 1);
	diags_free(&d);
	/* 27 days fits in the shortest month */
	p = parse(H "cycle:\n  start: 2027-01-01\n  length: 1 month\n"
	    "  reup: { opens: 27 days before end }\n", &d);
	assert_non_null(p);
	program_free(p);
	/* without the start it might be February: refused */
	assert_null(parse(H "cycle:\n  length: 1 month\n"
	    "  reup: { opens: 30 days before end }\n", &d));
	assert_int_equal(d.n, 1);
	diags_free(&d);
	/* months against days: 1 month may be shorter than 31 days */
	assert_null(parse(H "cycle:\n  start: 2026-12-01\n  length: 2 months\n"
	    "  reup: { opens: 1 month before end, closes: 31 days before end }\n",
	    &d));
	assert_int_equal(d.n, 1);
	diags_free(&d);
	/* 2027-02-01 + 1 month is 28 days */
	assert_null(parse(H "cycle:\n  start: 2027-02-01\n  length: 1 month\n"
	    "  reup: { opens: 30 days before end }\n", &d));
	assert_int_equal(d.n, 1);
	diags_free(&d);
}

static void
test_load_missing_file(void **state)
{
	struct diags d = DIAGS_INIT;
	struct error err = ERROR_INIT;

	(void)state;
	assert_null(cfg_program_load("/nonexistent/dir/p.yaml", &d, &err));
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg,
	    "/nonexistent/dir/p.yaml: No such file or directory");
	assert_int_equal(d.n, 0);
	error_clear(&err);
}

static void
test_load_bad_file(void **state)
{
	static const char text[] = H "format: peer\n";
	char path[] = "/tmp/test_config_XXXXXX";
	struct diags d = DIAGS_INIT;
	struct error err = ERROR_INIT;
	char *s;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_null(cfg_program_load(path, &d, &err));
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(d.n, 1);
	s = diag_format(&d.v[0]);
	assert_non_null(strstr(s, ":5:1: duplicate key 'format'"));
	assert_true(strncmp(s, path, strlen(path)) == 0);
	free(s);
	unlink(path);
	diags_free(&d);
	error_clear(&err);
}

/* ---- program.c ----------------------------------------------------------- */

static void
test_enum_tables(void **state)
{
	int i;

	(void)state;
	for (i = PURPOSE_ENGAGEMENT; i <= PURPOSE_ONBOARDING; i++)
		assert_int_equal(program_purpose_parse(
		    program_purpose_name((enum program_purpose)i)), i);
	for (i = FORMAT_ONE_TO_ONE; i <= FORMAT_ROTATIONAL; i++)
		assert_int_equal(program_format_parse(
		    program_format_name((enum program_format)i)), i);
	for (i = COMPARE_OVERLAP; i <= COMPARE_CLOSE; i++)
		assert_int_equal(match_compare_parse(
		    match_compare_name((enum match_compare)i)), i);
	for (i = CONSENT_BOTH; i <= CONSENT_NONE; i++)
		assert_int_equal(match_consent_parse(
		    match_consent_name((enum match_consent)i)), i);
	for (i = OBJECTIVE_COVERAGE; i <= OBJECTIVE_SCORE; i++)
		assert_int_equal(match_objective_parse(
		    match_objective_name((enum match_objective)i)), i);
	assert_string_equal(program_purpose_name(PURPOSE_KNOWLEDGE_TRANSFER),
	    "knowledge-transfer");
	assert_string_equal(program_format_name(FORMAT_ONE_TO_ONE),
	    "one-to-one");
	assert_string_equal(match_compare_name(COMPARE_WITHIN_HOURS),
	    "within_hours");
	assert_int_equal(program_format_parse("One-to-one"), -1);
	assert_int_equal(program_purpose_parse(""), -1);
	assert_int_equal(match_compare_parse(NULL), -1);
	assert_int_equal(match_exclusion_parse("same_manager_line"),
	    EXCLUDE_SAME_MANAGER_LINE);
	assert_int_equal(match_exclusion_parse("previous_partners"),
	    EXCLUDE_PREVIOUS_PARTNERS);
	assert_int_equal(match_exclusion_parse("same_department"),
	    EXCLUDE_SAME_DEPARTMENT);
	assert_int_equal(match_exclusion_parse("same_team"), -1);
}

static void
test_metrics(void **state)
{
	static const char *const want[] = { "match_rate", "days_to_match",
	    "days_to_first_meeting", "checkin_adherence", "stalled_rate",
	    "reup_rate", "early_closure_rate", "satisfaction", "retention",
	    "flash_attendance", "flash_coverage" };
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_true(program_metric_valid(want[i]));
	for (n = 0; program_metrics[n] != NULL; n++)
		continue;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	assert_int_equal(program_metric_format("flash_coverage"), FORMAT_FLASH);
	assert_int_equal(program_metric_format("flash_attendance"),
	    FORMAT_FLASH);
	assert_int_equal(program_metric_format("match_rate"), -1);
	assert_int_equal(program_metric_format(NULL), -1);
	assert_false(program_metric_valid("match-rate"));
	assert_false(program_metric_valid(""));
	assert_false(program_metric_valid(NULL));
}

static void
test_program_free_null(void **state)
{
	(void)state;
	program_free(NULL);
	program_free(program_new());
}

int
main(void)
{
	const size_t nbad = sizeof bad_cases / sizeof bad_cases[0];
	struct CMUnitTest *bad;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_problems_reported),
		cmocka_unit_test(test_problems_in_every_criterion),
		cmocka_unit_test(test_missing_required_keys),
		cmocka_unit_test(test_too_many_problems),
		cmocka_unit_test(test_alias_expansion_bounded),
		cmocka_unit_test(test_junk_input),
		cmocka_unit_test(test_sample_eng_2027),
		cmocka_unit_test(test_listening_vocabulary),
		cmocka_unit_test(test_sample_group),
		cmocka_unit_test(test_sample_peer),
		cmocka_unit_test(test_sample_reverse),
		cmocka_unit_test(test_sample_flash),
		cmocka_unit_test(test_sample_rotational),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_flash_start),
		cmocka_unit_test(test_lenient_forms),
		cmocka_unit_test(test_reup_against_start),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_load_bad_file),
		cmocka_unit_test(test_enum_tables),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_program_free_null),
	};
	size_t i;
	int rc;

	/* one cmocka test per broken file, so a failure names its case */
	bad = xcalloc(nbad, sizeof *bad);
	for (i = 0; i < nbad; i++) {
		bad[i].name = bad_cases[i].name;
		bad[i].test_func = test_bad_case;
		bad[i].initial_state = (void *)(uintptr_t)&bad_cases[i];
	}
	rc = _cmocka_run_group_tests("config_broken_yaml", bad, nbad, NULL,
	    NULL);
	rc += cmocka_run_group_tests_name("config", tests, NULL, NULL);
	free(bad);
	return rc;
}
