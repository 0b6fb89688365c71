/*
 * The schema, as constants in one file (as Fossil keeps its own).  Migration
 * N takes a database from user_version N-1 to N; all of them run in one
 * transaction.  Dates are TEXT 'YYYY-MM-DD', timestamps TEXT
 * 'YYYY-MM-DDTHH:MM:SSZ' (UTC); CHECKs keep them so.
 */
#include "store/schema.h"

#include <stddef.h>

#define DATE_OK(c) "(" c " IS NULL OR (length(" c ") = 10 AND date(" c ") = " c "))"
#define TS_OK(c) "(length(" c ") = 20 AND strftime('%Y-%m-%dT%H:%M:%SZ', " c ") = " c ")"

static const char schema_v1[] =
	/* People: keyed by e-mail, compared without case. */
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL COLLATE NOCASE UNIQUE"
	"    CHECK (email LIKE '%_@_%' AND email NOT GLOB '*[ ,;<>\"]*'),"
	"  name TEXT NOT NULL DEFAULT '',"
	"  department TEXT,"
	"  title TEXT,"
	"  level INTEGER CHECK (level IS NULL OR level BETWEEN -1000 AND 1000),"
	"  hired_on TEXT CHECK " DATE_OK("hired_on") ","
	"  location TEXT,"
	"  timezone TEXT,"
	"  manager_email TEXT COLLATE NOCASE,"
	"  created_at TEXT NOT NULL CHECK " TS_OK("created_at") ","
	"  updated_at TEXT NOT NULL CHECK " TS_OK("updated_at")
	");"
	"CREATE INDEX person_department ON person(department);"
	"CREATE INDEX person_manager ON person(manager_email);"
	/* Free attributes (skills, interests, questionnaire answers): the raw
	 * cell, multi-valued ones ';'-separated as in the CSV. */
	"CREATE TABLE person_attr ("
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL CHECK (name <> '' AND name = lower(name)),"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (person_id, name)"
	") WITHOUT ROWID;"
	"CREATE TABLE training ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL CHECK (name <> ''),"
	"  completed_on TEXT NOT NULL CHECK " DATE_OK("completed_on") ","
	"  recorded_at TEXT NOT NULL CHECK " TS_OK("recorded_at") ","
	"  UNIQUE (person_id, name)"
	");"
	/* Programmes: the current row, and every stored version of the YAML. */
	"CREATE TABLE program ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),"
	"  name TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  format TEXT NOT NULL CHECK (format IN ('one-to-one','group','peer','reverse','flash','rotational')),"
	"  owner TEXT,"
	"  contact TEXT,"
	"  version INTEGER NOT NULL CHECK (version >= 1),"
	"  created_at TEXT NOT NULL CHECK " TS_OK("created_at") ","
	"  updated_at TEXT NOT NULL CHECK " TS_OK("updated_at")
	");"
	"CREATE TABLE program_version ("
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL CHECK (version >= 1),"
	"  yaml TEXT NOT NULL,"
	"  source TEXT,"
	"  added_at TEXT NOT NULL CHECK " TS_OK("added_at") ","
	"  added_by TEXT NOT NULL,"
	"  PRIMARY KEY (program_id, version)"
	");"
	/* A person in a programme in a role. */
	"CREATE TABLE enrollment ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('mentor','mentee')),"
	"  capacity INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 0 AND 1000),"
	"  goal TEXT,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending','eligible','active','withdrawn')),"
	"  reason TEXT,"
	"  enrolled_on TEXT NOT NULL CHECK " DATE_OK("enrolled_on") ","
	"  eligible_on TEXT CHECK " DATE_OK("eligible_on") ","
	"  withdrawn_on TEXT CHECK " DATE_OK("withdrawn_on") ","
	"  withdraw_reason TEXT,"
	"  UNIQUE (program_id, person_id, role)"
	");"
	"CREATE INDEX enrollment_person ON enrollment(person_id);"
	"CREATE INDEX enrollment_program_status ON enrollment(program_id, role, status);"
	/* Numbered periods of a programme. */
	"CREATE TABLE cycle ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  number INTEGER NOT NULL CHECK (number >= 1),"
	"  starts_on TEXT NOT NULL CHECK " DATE_OK("starts_on") ","
	"  ends_on TEXT NOT NULL CHECK " DATE_OK("ends_on") ","
	"  reup_opens_on TEXT NOT NULL CHECK " DATE_OK("reup_opens_on") ","
	"  reup_closes_on TEXT NOT NULL CHECK " DATE_OK("reup_closes_on") ","
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),"
	"  closed_on TEXT CHECK " DATE_OK("closed_on") ","
	"  CHECK (starts_on < ends_on AND reup_opens_on <= reup_closes_on),"
	"  UNIQUE (program_id, number)"
	");"
	/* Mentor enrollment + mentee enrollment; group_id ties a circle together,
	 * slot numbers the flash round or rotation period. */
	"CREATE TABLE pairing ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  mentor_enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),"
	"  mentee_enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),"
	"  group_id INTEGER,"
	"  slot INTEGER CHECK (slot IS NULL OR slot >= 1),"
	"  cycle_id INTEGER REFERENCES cycle(id),"
	"  score REAL NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL DEFAULT 'proposed'"
	"    CHECK (status IN ('proposed','active','declined','expired','ended')),"
	"  origin TEXT NOT NULL DEFAULT 'match' CHECK (origin IN ('match','manual','suggest')),"
	"  proposed_on TEXT NOT NULL CHECK " DATE_OK("proposed_on") ","
	"  expires_on TEXT CHECK " DATE_OK("expires_on") ","
	"  mentor_accepted_on TEXT CHECK " DATE_OK("mentor_accepted_on") ","
	"  mentee_accepted_on TEXT CHECK " DATE_OK("mentee_accepted_on") ","
	"  activated_on TEXT CHECK " DATE_OK("activated_on") ","
	"  declined_on TEXT CHECK " DATE_OK("declined_on") ","
	"  declined_by TEXT,"
	"  decline_reason TEXT,"
	"  ended_on TEXT CHECK " DATE_OK("ended_on") ","
	"  end_reason TEXT,"
	"  CHECK (mentor_enrollment_id <> mentee_enrollment_id),"
	"  CHECK (status NOT IN ('active','ended') OR activated_on IS NOT NULL),"
	"  CHECK (status <> 'ended' OR ended_on IS NOT NULL)"
	");"
	"CREATE INDEX pairing_program_status ON pairing(program_id, status);"
	"CREATE INDEX pairing_mentor ON pairing(mentor_enrollment_id, status);"
	"CREATE INDEX pairing_mentee ON pairing(mentee_enrollment_id, status);"
	"CREATE INDEX pairing_status ON pairing(status);"
	/* Each pairing's passage through a cycle, and the re-up answers. */
	"CREATE TABLE pairing_cycle ("
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,"
	"  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('continued','exited','ended')),"
	"  decided_on TEXT CHECK " DATE_OK("decided_on") ","
	"  PRIMARY KEY (pairing_id, cycle_id)"
	") WITHOUT ROWID;"
	/* A cycle's pairings: cycle close and cycle list. */
	"CREATE INDEX pairing_cycle_cycle ON pairing_cycle(cycle_id, outcome);"
	"CREATE TABLE reup ("
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  answer TEXT NOT NULL CHECK (answer IN ('yes','no')),"
	"  answered_on TEXT NOT NULL CHECK " DATE_OK("answered_on") ","
	"  PRIMARY KEY (pairing_id, cycle_id, person_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE checkin ("
	"  id INTEGER PRIMARY KEY,"
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  held_on TEXT NOT NULL CHECK " DATE_OK("held_on") ","
	"  minutes INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 1440),"
	"  rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),"
	"  topic TEXT,"
	"  notes TEXT,"
	"  recorded_by TEXT,"
	"  recorded_at TEXT NOT NULL CHECK " TS_OK("recorded_at")
	");"
	"CREATE INDEX checkin_pairing ON checkin(pairing_id, held_on);"
	"CREATE INDEX checkin_held ON checkin(held_on);"
	/* Every reminder sent.  The UNIQUE key is what makes `remind` send each
	 * one once: a row is claimed before the mail goes out and marked sent
	 * after the mail program succeeded. */
	"CREATE TABLE reminder ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  pairing_id INTEGER REFERENCES pairing(id) ON DELETE CASCADE,"
	"  subject_key TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  due_on TEXT NOT NULL CHECK " DATE_OK("due_on") ","
	"  recipient TEXT NOT NULL COLLATE NOCASE,"
	"  state TEXT NOT NULL DEFAULT 'claimed' CHECK (state IN ('claimed','sent')),"
	"  claimed_at TEXT NOT NULL CHECK " TS_OK("claimed_at") ","
	"  claimed_by TEXT,"
	"  sent_at TEXT CHECK (sent_at IS NULL OR " TS_OK("sent_at") "),"
	"  message_id TEXT,"
	"  UNIQUE (program_id, subject_key, kind, due_on, recipient)"
	");"
	"CREATE INDEX reminder_pairing ON reminder(pairing_id);"
	/* Claims not (yet) sent: few, and what remind retries after a crash. */
	"CREATE INDEX reminder_claimed ON reminder(program_id, claimed_at)"
	"  WHERE state = 'claimed';"
	"CREATE TABLE feedback ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  pairing_id INTEGER REFERENCES pairing(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
	"  comment TEXT,"
	"  given_on TEXT NOT NULL CHECK " DATE_OK("given_on") ","
	"  recorded_at TEXT NOT NULL CHECK " TS_OK("recorded_at")
	");"
	"CREATE INDEX feedback_program ON feedback(program_id, pairing_id);"
	/* One feedback per person per pairing, or per programme (pairing NULL). */
	"CREATE UNIQUE INDEX feedback_once ON feedback(program_id,"
	"  coalesce(pairing_id, 0), person_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL CHECK " TS_OK("at") ","
	"  actor TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER,"
	"  action TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX audit_entity ON audit(entity, entity_id);";

/*
 * Mail, in and out.  The reminder log gains the states of an exactly-once
 * delivery that survives failures (core/delivery.h): a row is written
 * 'handed' before the mail program starts, and a failure is kept with its
 * attempts for the retries.  Addresses that bounce, replies handled by
 * `inbox`, reminders a participant paused, and the secret of the reply
 * tokens get tables of their own.
 */
static const char schema_v2[] =
	"CREATE TABLE reminder_v2 ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  pairing_id INTEGER REFERENCES pairing(id) ON DELETE CASCADE,"
	"  subject_key TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  due_on TEXT NOT NULL CHECK " DATE_OK("due_on") ","
	"  recipient TEXT NOT NULL COLLATE NOCASE,"
	"  state TEXT NOT NULL DEFAULT 'handed'"
	"    CHECK (state IN ('handed','sent','failed','gave_up','bounced')),"
	"  claimed_at TEXT NOT NULL CHECK " TS_OK("claimed_at") ","
	"  claimed_by TEXT,"
	"  sent_at TEXT CHECK (sent_at IS NULL OR " TS_OK("sent_at") "),"
	"  message_id TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),"
	"  failed_on TEXT CHECK " DATE_OK("failed_on") ","
	"  failed_at TEXT CHECK (failed_at IS NULL OR " TS_OK("failed_at") "),"
	"  error TEXT,"
	"  UNIQUE (program_id, subject_key, kind, due_on, recipient)"
	");"
	/* A claim of release 1 that never became 'sent' may have gone out. */
	"INSERT INTO reminder_v2 (id, program_id, pairing_id, subject_key, kind,"
	"  due_on, recipient, state, claimed_at, claimed_by, sent_at, message_id)"
	"  SELECT id, program_id, pairing_id, subject_key, kind, due_on,"
	"  recipient, CASE state WHEN 'sent' THEN 'sent' ELSE 'handed' END,"
	"  claimed_at, claimed_by, sent_at, message_id FROM reminder;"
	"DROP TABLE reminder;"
	"ALTER TABLE reminder_v2 RENAME TO reminder;"
	"CREATE INDEX reminder_pairing ON reminder(pairing_id);"
	/* What is not plainly sent: few rows, read by every run and the digest. */
	"CREATE INDEX reminder_open ON reminder(program_id, state)"
	"  WHERE state <> 'sent';"
	/* Addresses refused for good: no mail goes to them until cleared. */
	"CREATE TABLE mail_bounce ("
	"  address TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,"
	"  since TEXT NOT NULL CHECK " TS_OK("since") ","
	"  since_on TEXT NOT NULL CHECK " DATE_OK("since_on") ","
	"  reason TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('remind','inbox','coordinator')),"
	"  failures INTEGER NOT NULL DEFAULT 1 CHECK (failures >= 1)"
	") WITHOUT ROWID;"
	/* Every message `inbox` handled, keyed by its Message-ID (or a digest
	 * of it), recorded in the transaction of its effect: handled once. */
	"CREATE TABLE mail_handled ("
	"  message_key TEXT NOT NULL PRIMARY KEY,"
	"  handled_at TEXT NOT NULL CHECK " TS_OK("handled_at") ","
	"  handled_on TEXT NOT NULL CHECK " DATE_OK("handled_on") ","
	"  program_id INTEGER REFERENCES program(id) ON DELETE SET NULL,"
	"  pairing_id INTEGER REFERENCES pairing(id) ON DELETE SET NULL,"
	"  sender TEXT,"
	"  outcome TEXT NOT NULL CHECK (outcome <> ''),"
	"  detail TEXT"
	") WITHOUT ROWID;"
	"CREATE INDEX mail_handled_day ON mail_handled(handled_on);"
	/* A participant's "pause": no check-in reminders for that pairing. */
	"CREATE TABLE reminder_pause ("
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  paused_on TEXT NOT NULL CHECK " DATE_OK("paused_on") ","
	"  PRIMARY KEY (pairing_id, person_id)"
	") WITHOUT ROWID;"
	/* Keys made at init: 'reply-token', the MAC key of reply tokens. */
	"CREATE TABLE mail_secret ("
	"  name TEXT NOT NULL PRIMARY KEY,"
	"  secret BLOB NOT NULL CHECK (length(secret) >= 32),"
	"  created_at TEXT NOT NULL CHECK " TS_OK("created_at")
	") WITHOUT ROWID;";

/*
 * Matching that listens: participants' preferences about pairs (a
 * mentee's rank or rating of a mentor; prefer, avoid or veto from either
 * side), never-pair lists (conflicts of interest) for one programme or all
 * of them, and the coordinator's per-pair overrides from `scores import`
 * (a bonus in centi-points, a veto, a fixed pair).  Keyed by people, not
 * enrollments, so that a re-enrollment keeps them.
 */
static const char schema_v3[] =
	"CREATE TABLE preference ("
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  mentee_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  mentor_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  rank INTEGER CHECK (rank IS NULL OR rank BETWEEN 1 AND 1000),"
	"  rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),"
	"  mentor_choice TEXT"
	"    CHECK (mentor_choice IS NULL OR mentor_choice IN ('prefer','avoid','veto')),"
	"  mentee_choice TEXT"
	"    CHECK (mentee_choice IS NULL OR mentee_choice IN ('prefer','avoid','veto')),"
	"  source TEXT,"
	"  updated_at TEXT NOT NULL CHECK " TS_OK("updated_at") ","
	"  CHECK (mentee_id <> mentor_id),"
	"  PRIMARY KEY (program_id, mentee_id, mentor_id)"
	") WITHOUT ROWID;"
	"CREATE TABLE conflict ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER REFERENCES program(id) ON DELETE CASCADE,"
	"  person_a INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  person_b INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  reason TEXT,"
	"  added_at TEXT NOT NULL CHECK " TS_OK("added_at") ","
	"  CHECK (person_a < person_b)"
	");"
	"CREATE UNIQUE INDEX conflict_pair ON conflict(coalesce(program_id, 0),"
	"  person_a, person_b);"
	"CREATE INDEX conflict_b ON conflict(person_b);"
	"CREATE TABLE pair_override ("
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  mentee_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  mentor_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  bonus INTEGER CHECK (bonus IS NULL OR bonus BETWEEN -10000 AND 10000),"
	"  veto INTEGER NOT NULL DEFAULT 0 CHECK (veto IN (0, 1)),"
	"  fixed INTEGER NOT NULL DEFAULT 0 CHECK (fixed IN (0, 1)),"
	"  updated_at TEXT NOT NULL CHECK " TS_OK("updated_at") ","
	"  CHECK (NOT (veto AND fixed)),"
	"  PRIMARY KEY (program_id, mentee_id, mentor_id)"
	") WITHOUT ROWID;";

/*
 * Cycles and the formats beyond one-to-one (the formats migration).
 *
 *  - An enrollment can be completed: the person left the programme at a
 *    re-up or a cycle's close ("I leave"), as opposed to one pairing ending.
 *    The table is rebuilt for its CHECK; deferred foreign keys let the
 *    pairings point at the rebuilt rows again before the commit.
 *  - A re-up answer can be 'new': this pairing ends, match me again.
 *  - Feedback belongs to a cycle: one per person, pairing (or programme)
 *    and cycle.
 *  - A circle's meeting is marked on each member's check-in (group_id), so
 *    that it has one number and topic for the whole circle.
 *  - Calendars: a random id per database for event UIDs, and what each
 *    exported event said last, so that a moved event keeps its UID and gets
 *    a higher SEQUENCE.
 *  - Flash sessions: the seats as the coordinator confirmed them, and who
 *    came.
 */
static const char schema_formats[] =
	"PRAGMA defer_foreign_keys = ON;"
	"CREATE TEMP TABLE enrollment_copy AS SELECT * FROM enrollment;"
	"DROP TABLE enrollment;"
	"CREATE TABLE enrollment ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK (role IN ('mentor','mentee')),"
	"  capacity INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 0 AND 1000),"
	"  goal TEXT,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending','eligible','active','withdrawn','completed')),"
	"  reason TEXT,"
	"  enrolled_on TEXT NOT NULL CHECK " DATE_OK("enrolled_on") ","
	"  eligible_on TEXT CHECK " DATE_OK("eligible_on") ","
	"  withdrawn_on TEXT CHECK " DATE_OK("withdrawn_on") ","
	"  withdraw_reason TEXT,"
	"  completed_on TEXT CHECK " DATE_OK("completed_on") ","
	"  UNIQUE (program_id, person_id, role)"
	");"
	"INSERT INTO enrollment (id, program_id, person_id, role, capacity, goal,"
	"  status, reason, enrolled_on, eligible_on, withdrawn_on, withdraw_reason)"
	"  SELECT id, program_id, person_id, role, capacity, goal, status, reason,"
	"  enrolled_on, eligible_on, withdrawn_on, withdraw_reason"
	"  FROM enrollment_copy;"
	"DROP TABLE enrollment_copy;"
	"CREATE INDEX enrollment_person ON enrollment(person_id);"
	"CREATE INDEX enrollment_program_status ON enrollment(program_id, role, status);"
	"CREATE TABLE reup_new ("
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  answer TEXT NOT NULL CHECK (answer IN ('yes','no','new')),"
	"  answered_on TEXT NOT NULL CHECK " DATE_OK("answered_on") ","
	"  PRIMARY KEY (pairing_id, cycle_id, person_id)"
	") WITHOUT ROWID;"
	"INSERT INTO reup_new SELECT pairing_id, cycle_id, person_id, answer,"
	"  answered_on FROM reup;"
	"DROP TABLE reup;"
	"ALTER TABLE reup_new RENAME TO reup;"
	"ALTER TABLE feedback ADD COLUMN cycle_id INTEGER REFERENCES cycle(id)"
	"  ON DELETE SET NULL;"
	/* The latest cycle begun by the day it was given (of the pairing). */
	"UPDATE feedback SET cycle_id = (SELECT c.id FROM cycle c"
	"  WHERE c.program_id = feedback.program_id"
	"  AND c.starts_on <= feedback.given_on"
	"  AND (feedback.pairing_id IS NULL OR EXISTS (SELECT 1 FROM pairing_cycle pc"
	"    WHERE pc.pairing_id = feedback.pairing_id AND pc.cycle_id = c.id))"
	"  ORDER BY c.number DESC LIMIT 1);"
	"DROP INDEX feedback_once;"
	"CREATE UNIQUE INDEX feedback_once ON feedback(program_id,"
	"  coalesce(pairing_id, 0), person_id, coalesce(cycle_id, 0));"
	"ALTER TABLE checkin ADD COLUMN group_id INTEGER;"
	/* Earlier circle meetings: members of one circle who met the same day. */
	"UPDATE checkin SET group_id = (SELECT p.group_id FROM pairing p"
	"  WHERE p.id = checkin.pairing_id)"
	"  WHERE EXISTS (SELECT 1 FROM pairing p JOIN pairing q"
	"    ON q.program_id = p.program_id AND q.group_id = p.group_id"
	"    AND q.id <> p.id JOIN checkin c2 ON c2.pairing_id = q.id"
	"    AND c2.held_on = checkin.held_on"
	"    WHERE p.id = checkin.pairing_id AND p.group_id IS NOT NULL);"
	"CREATE INDEX checkin_group ON checkin(group_id, held_on)"
	"  WHERE group_id IS NOT NULL;"
	"CREATE TABLE instance ("
	"  name TEXT NOT NULL PRIMARY KEY,"
	"  value TEXT NOT NULL CHECK (value <> '')"
	") WITHOUT ROWID;"
	"INSERT INTO instance VALUES ('calendar-id', lower(hex(randomblob(8))));"
	"CREATE TABLE calendar_event ("
	"  uid TEXT NOT NULL PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  digest TEXT NOT NULL,"
	"  sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),"
	"  exported_at TEXT NOT NULL CHECK " TS_OK("exported_at")
	") WITHOUT ROWID;"
	"CREATE TABLE flash_seat ("
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  round INTEGER NOT NULL CHECK (round >= 1),"
	"  mentee_enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),"
	"  mentor_enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),"
	"  table_no INTEGER NOT NULL CHECK (table_no >= 1),"
	"  score REAL NOT NULL DEFAULT 0,"
	"  attended INTEGER CHECK (attended IS NULL OR attended IN (0, 1)),"
	"  PRIMARY KEY (program_id, round, mentee_enrollment_id)"
	") WITHOUT ROWID;";

/*
 * People and programmes.
 *
 *  - The day each programme version came into force (the --today of the
 *    `program add` or `update` that stored it), so that a report as of a
 *    date reads the rules of that date; versions stored before it count
 *    from the day they were added.
 *  - Two indexes of schema 1 that no query could use (department is
 *    compared without case, managers are looked up by e-mail) but every
 *    import paid for: a third of the time of a large `people import`.
 */
static const char schema_program_in_force[] =
	"ALTER TABLE program_version ADD COLUMN in_force_from TEXT"
	"  CHECK " DATE_OK("in_force_from") ";"
	"UPDATE program_version SET in_force_from = substr(added_at, 1, 10);"
	"DROP INDEX IF EXISTS person_department;"
	"DROP INDEX IF EXISTS person_manager;";

/*
 * The day (the run's --today) a mail was last handed to the mail program,
 * beside the clock's claimed_at: the digest reports what was not delivered
 * since its last day, in the days the programme lives by.
 */
static const char schema_reminder_day[] =
	"ALTER TABLE reminder ADD COLUMN claimed_on TEXT"
	"  CHECK " DATE_OK("claimed_on") ";";

/*
 * The seeds' other models.  Format network: the stored format's CHECK
 * gains 'network', and each introduction a mentor makes is a row (the
 * contact by address, a person or not).  Senior-leader sessions: a
 * session of a programme led by a person, and each participant's place in
 * it (signed up, seated, wait-listed, cancelled; attended).  Their mails
 * (invitations, seat confirmations) go through the reminder log, keyed
 * "session:<id>", so that each is sent once.
 *
 * A CHECK cannot be altered, and rebuilding `program` would cascade
 * through every table that references it (foreign keys are on, and cannot
 * be switched off inside the migration's transaction).  Widening the list
 * of allowed values changes no stored row, which is the case SQLite
 * documents for editing sqlite_schema under writable_schema; RESET makes
 * this connection read the new definition.  The temporary table turns a
 * definition that did not change (edited by hand) into a failed migration
 * instead of a silent one.
 */
static const char schema_network_sessions[] =
	"PRAGMA writable_schema = ON;"
	"UPDATE sqlite_schema SET sql = replace(sql,"
	"  '''flash'',''rotational'')', '''flash'',''rotational'',''network'')')"
	"  WHERE type = 'table' AND name = 'program';"
	"PRAGMA writable_schema = RESET;"
	"CREATE TEMP TABLE schema_v4_check (ok INTEGER NOT NULL CHECK (ok = 1));"
	"INSERT INTO schema_v4_check SELECT instr(sql, '''network''') > 0"
	"  FROM sqlite_schema WHERE type = 'table' AND name = 'program';"
	"DROP TABLE temp.schema_v4_check;"
	"CREATE TABLE introduction ("
	"  id INTEGER PRIMARY KEY,"
	"  pairing_id INTEGER NOT NULL REFERENCES pairing(id) ON DELETE CASCADE,"
	"  contact_email TEXT NOT NULL COLLATE NOCASE"
	"    CHECK (contact_email LIKE '%_@_%' AND contact_email NOT GLOB '*[ ,;<>\"]*'),"
	"  contact_name TEXT,"
	"  introduced_on TEXT NOT NULL CHECK " DATE_OK("introduced_on") ","
	/* a joint meeting with the contact, when one is planned */
	"  meet_on TEXT CHECK " DATE_OK("meet_on") ","
	"  meet_at INTEGER CHECK (meet_at IS NULL OR meet_at BETWEEN 0 AND 1439),"
	"  note TEXT,"
	"  recorded_by TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL CHECK " TS_OK("recorded_at") ","
	"  CHECK (meet_at IS NULL OR meet_on IS NOT NULL),"
	"  UNIQUE (pairing_id, contact_email)"
	");"
	"CREATE INDEX introduction_contact ON introduction(contact_email);"
	"CREATE TABLE leader_session ("
	"  id INTEGER PRIMARY KEY,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  leader_id INTEGER NOT NULL REFERENCES person(id),"
	"  held_on TEXT NOT NULL CHECK " DATE_OK("held_on") ","
	/* local time of day in the programme's sessions.timezone, in minutes */
	"  starts_at INTEGER CHECK (starts_at IS NULL OR starts_at BETWEEN 0 AND 1439),"
	"  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),"
	"  seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10000),"
	"  title TEXT,"
	/* the day of the first allocation of its seats (session seat) */
	"  seated_on TEXT CHECK " DATE_OK("seated_on") ","
	"  added_on TEXT NOT NULL CHECK " DATE_OK("added_on") ","
	"  added_at TEXT NOT NULL CHECK " TS_OK("added_at")
	");"
	"CREATE INDEX leader_session_program ON leader_session(program_id, held_on);"
	"CREATE INDEX leader_session_leader ON leader_session(leader_id, held_on);"
	/* seq orders the sign-ups, rank the waiting list */
	"CREATE TABLE session_place ("
	"  session_id INTEGER NOT NULL REFERENCES leader_session(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('signed_up','seated','waitlisted','cancelled')),"
	"  seq INTEGER NOT NULL CHECK (seq >= 1),"
	"  rank INTEGER CHECK (rank IS NULL OR rank >= 1),"
	"  signed_up_on TEXT NOT NULL CHECK " DATE_OK("signed_up_on") ","
	"  seated_on TEXT CHECK " DATE_OK("seated_on") ","
	"  cancelled_on TEXT CHECK " DATE_OK("cancelled_on") ","
	"  attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),"
	"  source TEXT NOT NULL CHECK (source <> ''),"
	"  updated_at TEXT NOT NULL CHECK " TS_OK("updated_at") ","
	"  CHECK (status <> 'waitlisted' OR rank IS NOT NULL),"
	"  CHECK (attended = 0 OR status = 'seated'),"
	"  PRIMARY KEY (session_id, person_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX session_place_person ON session_place(person_id, attended);";

/*
 * Suggestion mails (`suggest --mail`): which mentors one mail listed, in
 * which order, so that a reply "1. Ana 2. Bo" or "2, 1, 3" is read against
 * that list and nothing else.  Keyed by the mail's Message-ID; the token
 * (bound to the mentee's enrollment and the day it expires) finds the
 * mails a reply may answer.  Sending is logged in `reminder` (kind
 * 'suggest', key "suggest:<enrollment>"), once per mentee and day.
 */
static const char schema_suggest_mail[] =
	"CREATE TABLE suggest_mail ("
	"  message_id TEXT NOT NULL PRIMARY KEY,"
	"  token TEXT NOT NULL,"
	"  program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,"
	"  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,"
	"  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  sent_on TEXT NOT NULL CHECK " DATE_OK("sent_on") ","
	"  sent_at TEXT NOT NULL CHECK " TS_OK("sent_at")
	");"
	"CREATE INDEX suggest_mail_token ON suggest_mail(token);"
	"CREATE TABLE suggest_mail_mentor ("
	"  message_id TEXT NOT NULL REFERENCES suggest_mail(message_id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL CHECK (position >= 1),"
	"  mentor_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (message_id, position)"
	") WITHOUT ROWID;";

/*
 * A person's free attributes move into the person row, as one JSON object
 * {"name": "value", ...} with its names in ascending order; person_attr
 * becomes a view of the same rows (person_id, name, value), so that every
 * query, and any script of the coordinator's, reads them as before.  One
 * row per attribute made a large import write five to thirty index
 * entries and foreign-key lookups per person: half of `people import`'s
 * time (issue 15).
 *
 * The CHECK keeps the column an object.  A CHECK cannot look inside it
 * (json_each is a table, and a trigger doing so cost five times the
 * insert), so the names' rule of the old table -- not empty, lower case,
 * text values -- is enforced where the object is written (the importer's
 * header names) and verified with the database (db_check).
 */
static const char schema_person_attrs[] =
	"ALTER TABLE person ADD COLUMN attrs TEXT NOT NULL DEFAULT '{}'"
	"  CHECK (json_valid(attrs) AND json_type(attrs) = 'object');"
	"UPDATE person SET attrs = (SELECT json_group_object(name, value) FROM"
	"  (SELECT name, value FROM person_attr a WHERE a.person_id = person.id"
	"   ORDER BY name))"
	"  WHERE id IN (SELECT person_id FROM person_attr);"
	"DROP TABLE person_attr;"
	"CREATE VIEW person_attr (person_id, name, value) AS"
	"  SELECT p.id, j.key, j.value FROM person p, json_each(p.attrs) j;";

static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_formats,
	schema_program_in_force,
	schema_reminder_day,
	schema_network_sessions,
	schema_suggest_mail,
	schema_person_attrs,
};

const char *
schema_migration(int to_version)
{
	if (to_version < 1 || to_version > SCHEMA_VERSION)
		return NULL;
	return migrations[to_version - 1];
}

/* Enough of schema 1 to recognise a database of ours without an application_id. */
const char *const schema_core_tables[] = {
	"person", "program", "enrollment", "pairing", "checkin", "audit", NULL,
};
