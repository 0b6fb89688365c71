#include "ops/calendar.h"

#include <stdlib.h>

#include "store/calendar_store.h"
#include "util/xmalloc.h"

int
ops_calendar_uid_prefix(const struct ops_ctx *o, const char *slug,
    char **prefix, struct error *err)
{
	char *id;

	*prefix = NULL;
	if (store_calendar_id(o->db, &id, err) != 0)
		return -1;
	*prefix = xstrfmt("%s-%s-", id, slug);
	free(id);
	return 0;
}

int
ops_calendar_sequences(const struct ops_ctx *o, long long program_id,
    const char *const *uid, const char *const *digest, int *seq, size_t n,
    struct error *err)
{
	return store_calendar_export(o->db, program_id, uid, digest, seq, n,
	    err);
}
