#include "ops/mail.h"

#include <stdint.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/delivery.h"
#include "core/people.h"
#include "core/token.h"
#include "store/mail_store.h"
#include "store/reminder_store.h"

int
ops_mail_bounce(const struct ops_ctx *o, const char *address,
    const char *reason, struct error *err)
{
	if (!people_email_valid(address))
		return error_set(err, EX_DATAERR, "invalid e-mail address '%s'",
		    address);
	return store_bounce_mark(o->db, address, reason,
	    BOUNCE_SOURCE_COORDINATOR, o->today, o->now, err);
}

int
ops_mail_clear(const struct ops_ctx *o, const char *address, bool *was,
    struct error *err)
{
	int rc;

	if ((rc = store_bounce_clear(o->db, address, err)) < 0)
		return -1;
	*was = rc > 0;
	return 0;
}

int
ops_mail_resend(const struct ops_ctx *o, long long id, struct error *err)
{
	int rc;

	if ((rc = store_reminder_requeue(o->db, id, err)) < 0)
		return -1;
	if (rc == 0)
		return error_set(err, EX_DATAERR, "no mail %lld waiting: it was "
		    "sent, or there is none (see 'mentorctl mail unsent')", id);
	return 0;
}

int
ops_mail_resend_unknown(const struct ops_ctx *o, long long program_id,
    size_t *n, struct error *err)
{
	struct reminder_unsent *v;
	size_t nv, i;
	int rc = 0;

	*n = 0;
	if (store_reminder_unsent(o->db, program_id, NULL, &v, &nv, err) != 0)
		return -1;
	for (i = 0; i < nv && rc == 0; i++) {
		if (v[i].state != DELIVERY_HANDED)
			continue;
		if ((rc = store_reminder_requeue(o->db, v[i].id, err)) > 0) {
			(*n)++;
			rc = 0;
		}
	}
	reminder_unsent_free(v, nv);
	return rc < 0 ? -1 : 0;
}

int
ops_mail_secret(const struct ops_ctx *o, bool *made, struct error *err)
{
	uint8_t secret[MAIL_SECRET_LEN];
	int rc;

	*made = false;
	if ((rc = store_mail_secret_get(o->db, MAIL_SECRET_REPLY_TOKEN, secret,
	    err)) != 0) {
		sodium_memzero(secret, sizeof secret);
		return rc < 0 ? -1 : 0;
	}
	if (token_secret_new(secret, err) != 0)
		return -1;
	rc = store_mail_secret_put(o->db, MAIL_SECRET_REPLY_TOKEN, secret,
	    o->now, err);
	sodium_memzero(secret, sizeof secret);
	*made = rc == 0;
	return rc;
}
