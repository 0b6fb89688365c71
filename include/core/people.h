#ifndef MENTORCTL_CORE_PEOPLE_H
#define MENTORCTL_CORE_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * People as they arrive in spreadsheets: e-mail syntax, header names, and a
 * "sheet" that validates a CSV file's rows in memory before anything is
 * stored.  Pure: no database, no printing.  Every problem is kept with its
 * line so that a bad file is reported in full, not one error at a time.
 */

enum people_field {
	PEOPLE_EMAIL,
	PEOPLE_NAME,
	PEOPLE_DEPARTMENT,
	PEOPLE_TITLE,
	PEOPLE_LEVEL,
	PEOPLE_HIRED_ON,
	PEOPLE_LOCATION,
	PEOPLE_TIMEZONE,
	PEOPLE_MANAGER_EMAIL,
	PEOPLE_NFIELDS
};

/* The standard fields' names, in the order of enum people_field. */
extern const char *const people_fields[PEOPLE_NFIELDS];

#define PEOPLE_LEVEL_MIN (-1000)	/* the schema's CHECK */
#define PEOPLE_LEVEL_MAX 1000
#define PEOPLE_EMAIL_MAX 254		/* RFC 5321 path limit */
#define PEOPLE_MAX_SHOWN 100		/* problems printed; the rest are counted */

/*
 * An address as people type them: local@domain, the local part of ASCII
 * "atext" characters and dots (not leading, trailing or doubled), the domain
 * of at least two dot-separated labels of letters, digits and inner hyphens.
 * Deliberately narrower than RFC 5322 (no quoted local parts, no IP
 * literals): what HR systems hold and mail programs accept.
 */
bool people_email_valid(const char *s);
/* ASCII case-insensitive, as SQLite's NOCASE compares the stored e-mails. */
int people_email_cmp(const char *a, const char *b);
/*
 * A header cell as a name: trimmed, ASCII lower case, spaces and hyphens as
 * '_' ("Hired On" -> "hired_on", "manager-email" -> "manager_email").  The
 * caller frees it.
 */
char *people_header_name(const char *s);
/* A normalised name to its standard field, or -1 for a free attribute. */
int people_field_parse(const char *name);
/*
 * A normalised header that HR exports use for a standard field
 * ("work_email", "full_name", "start_date", "time_zone"): the field, or -1.
 */
int people_field_alias(const char *name);
/*
 * A normalised header that is neither a field nor an alias but looks like
 * one ("emial", "hire_on") or may be one ("manager", "grade"): why it is
 * refused, with a suggestion (the caller frees it); NULL for a free
 * attribute.
 */
char *people_header_doubt(const char *name);
/* Trim ASCII white space in place; returns the first kept byte. */
char *people_trim(char *s);
/* A whole number within PEOPLE_LEVEL_MIN..MAX: 0, or -1. */
int people_parse_level(const char *s, int *level);
/* An IANA zone name ("Europe/Berlin", "UTC") or an offset ("+05:30", "UTC-3"). */
bool people_timezone_valid(const char *s);
/*
 * A cell as a message may quote it: control characters as '?', cut after
 * 60 characters with "...".  The caller frees it.
 */
char *people_quote(const char *s);

/*
 * Training names are identifiers ("mentor-basics"): trimmed, ASCII lower
 * case, no control characters, at most 100 bytes.  Normalises the string in
 * place and returns its start in *out; NULL when it is acceptable, else what
 * is wrong with it.
 */
#define PEOPLE_TRAINING_MAX 100
const char *people_training_name(char *name, char **out);

/* The cell that clears a value in files where empty means "no change". */
#define PEOPLE_CLEAR "-"

struct people_sheet;
/*
 * What a (trimmed) cell asks for: NULL for "no change" (an empty cell
 * with keep_empty), "" to clear the value, else the value itself.
 */
const char *people_cell(const struct people_sheet *s, const char *cell);

/* What the store found for a row (people_row.state). */
enum people_row_state {
	PEOPLE_ROW_NEW,        /* nobody has this e-mail yet */
	PEOPLE_ROW_SAME,       /* stored, and the file changes nothing */
	PEOPLE_ROW_CHANGED,    /* stored, and the file changes something */
};

/* A free attribute of a stored person compared with the file's cell. */
enum people_attr_state {
	PEOPLE_ATTR_NONE,      /* not stored */
	PEOPLE_ATTR_SAME,      /* stored with the cell's value */
	PEOPLE_ATTR_DIFFERS,   /* stored with another value */
};

struct people_row {
	long line;             /* physical line where the record starts */
	char **cells;          /* ncols trimmed cells, "" when empty */
	const char *email;     /* the e-mail cell */
	bool has_level;
	int level;
	int hired_on;          /* DATE_NONE when empty */
	bool bad;              /* has a problem: never stored */

	/* Filled by the store. */
	long long id;                  /* 0 until known */
	enum people_row_state state;
	unsigned changed;              /* bit per enum people_field that differs */
	unsigned char *attr;           /* nattr enum people_attr_state */
};

struct people_problem {
	long line;             /* 0: about the file as a whole */
	char *field;           /* NULL: about the whole row */
	char *msg;
	size_t seq;            /* order of reporting, for a stable sort */
};

enum people_col_kind {
	PEOPLE_COL_ATTR = -1,      /* a free attribute */
	PEOPLE_COL_RESERVED = -2,  /* the caller's own column (enroll's role, ...) */
	PEOPLE_COL_IGNORED = -3,   /* a header problem; never read */
};

struct people_arena;
struct people_set;

struct people_sheet {
	char *name;                    /* the file as messages name it */
	size_t ncols;
	char **cols;                   /* normalised header names */
	int *kind;                     /* enum people_field or enum people_col_kind */
	int field_col[PEOPLE_NFIELDS]; /* column of each standard field, -1 absent */
	size_t *attr_col;              /* the free attributes' columns, in file order */
	size_t nattr;
	bool has_person_columns;       /* anything besides email and reserved columns */
	bool usable;                   /* the header allows reading rows */
	bool allow_repeats;            /* one person on several rows (enroll) */
	/*
	 * Enrollment files: an empty cell changes nothing, a cell of
	 * PEOPLE_CLEAR clears the value (set before adding rows).  In
	 * people import an empty cell clears.
	 */
	bool keep_empty;
	/*
	 * The time-zone check (NULL: syntax only, people_timezone_valid):
	 * NULL when the zone is acceptable, else the problem (the sheet frees
	 * it).  ops/ plugs the system's tz database in here.
	 */
	char *(*zone_problem)(void *arg, const char *zone);
	void *zone_arg;

	struct people_row *rows;
	size_t nrows;
	size_t rowcap;

	struct people_problem *problems;
	size_t nproblems;
	size_t probcap;

	/*
	 * Streaming: rows[] holds the rows from number row_base on (the
	 * file's rows before were handed to the store and dropped by
	 * people_sheet_next_batch); 0 when the sheet keeps every row.
	 */
	size_t row_base;

	/* private */
	struct people_arena *arena;    /* the current rows' cells */
	struct people_arena *keep;     /* e-mails and manager references */
	struct people_set *emails;     /* the file's e-mails -> line, row */
	struct people_set *managers;   /* managers not in the file -> known */
	struct people_ref *refs;       /* managers not (yet) seen in the file */
	size_t nrefs;
	size_t refcap;
};

/*
 * A sheet for a file whose header row, on line, is header[n].  reserved names columns
 * (normalised) that the caller reads itself, NULL-terminated or NULL.  Header
 * problems (no email column, a name given twice, an empty name) are recorded
 * and leave the sheet not usable.
 */
struct people_sheet *people_sheet_new(const char *name, long line,
    const char *const *header, size_t n, const char *const *reserved,
    bool allow_repeats);
void people_sheet_free(struct people_sheet *s);
/* The column of a normalised name, or -1. */
int people_sheet_column(const struct people_sheet *s, const char *name);
/*
 * Validate one record.  Returns 0 when it became rows[*row], 1 when it repeats
 * the person of rows[*row] (only with allow_repeats; its person cells must
 * equal that row's), -1 when it was rejected (problems recorded).  A row with
 * problems in its cells is kept with bad set so that later rows can name it.
 */
int people_sheet_add(struct people_sheet *s, long line,
    const char *const *fields, size_t n, size_t *row);
void people_sheet_problem(struct people_sheet *s, long line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Drop the rows read so far (the store has them): a file of any length is
 * read in batches in bounded memory.  What later rows are checked against
 * (the e-mails seen, managers still to find) is kept.
 */
void people_sheet_next_batch(struct people_sheet *s);
/* Problems with a line, plus those without (header); true when none. */
bool people_sheet_ok(const struct people_sheet *s);
/* The row (of rows[]) holding an e-mail (any case), or -1. */
long people_sheet_find(const struct people_sheet *s, const char *email);

/*
 * Managers.  After the last row, the distinct manager e-mails that no row of
 * the file holds: the caller (the store) says which of them exist already,
 * then people_sheet_check_managers() reports every row whose manager is
 * nobody (by line: the row may have been dropped).  The array is the
 * caller's to free; the strings are borrowed.
 */
const char **people_sheet_outside_managers(struct people_sheet *s, size_t *n);
void people_sheet_manager_exists(struct people_sheet *s, const char *email);
void people_sheet_check_managers(struct people_sheet *s);

/* Order the problems by line (stably) for printing. */
void people_sheet_sort_problems(struct people_sheet *s);
/* "FILE:LINE: field: what is wrong" (parts that are unknown left out); caller frees. */
char *people_problem_text(const struct people_sheet *s,
    const struct people_problem *p);

#endif
