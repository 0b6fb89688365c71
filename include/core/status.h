#ifndef MENTORCTL_CORE_STATUS_H
#define MENTORCTL_CORE_STATUS_H

/*
 * The stored vocabularies of pairings and enrollments.  The words are the
 * schema's (and what listings and exports print); store/ converts at the row
 * boundary with _parse(), and nobody else compares status strings.  Each
 * _parse() returns -1 for a word it does not know.
 */

enum pairing_status {
	PAIRING_PROPOSED,
	PAIRING_ACTIVE,
	PAIRING_DECLINED,
	PAIRING_EXPIRED,
	PAIRING_ENDED,
	/*
	 * Never stored: a listing's word for a proposal whose proposed_on is
	 * still to come (a later period of a rotation).
	 */
	PAIRING_PLANNED,
};

const char *pairing_status_name(enum pairing_status s);
int pairing_status_parse(const char *s);
/* Proposed or active (or planned): the pairing holds a place. */
int pairing_status_open(enum pairing_status s);

enum pairing_origin {
	PAIRING_ORIGIN_MATCH,
	PAIRING_ORIGIN_MANUAL,
	PAIRING_ORIGIN_SUGGEST,
};

const char *pairing_origin_name(enum pairing_origin o);
int pairing_origin_parse(const char *s);

enum enrollment_status {
	ENROLLMENT_PENDING,
	ENROLLMENT_ELIGIBLE,
	ENROLLMENT_ACTIVE,
	ENROLLMENT_WITHDRAWN,
	/* left the programme at a re-up or a cycle's close: never matched again */
	ENROLLMENT_COMPLETED,
};

const char *enrollment_status_name(enum enrollment_status s);
int enrollment_status_parse(const char *s);

#endif
