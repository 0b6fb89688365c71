/*
 * libical's view of a calendar file (tests only): parse it, run
 * icalrestriction_check (RFC 5546 rules for its METHOD) and print every
 * X-LIC-ERROR it or the parser left; exit 1 when there is any.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libical/ical.h>

static int
report(icalcomponent *c)
{
	icalproperty *p;
	icalcomponent *k;
	int n = 0;

	for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		printf("%s: %s\n", icalcomponent_kind_to_string(
		    icalcomponent_isa(c)), icalproperty_get_xlicerror(p));
		n++;
	}
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    k != NULL;
	    k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += report(k);
	return n;
}

int
main(int argc, char **argv)
{
	FILE *fp;
	char *buf;
	long len;
	icalcomponent *c;
	int n;

	if (argc != 2 || (fp = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: ical_restriction FILE.ics\n");
		return 2;
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)len + 1);
	if (fread(buf, 1, (size_t)len, fp) != (size_t)len)
		return 2;
	fclose(fp);
	if ((c = icalparser_parse_string(buf)) == NULL) {
		printf("not a calendar\n");
		return 1;
	}
	icalrestriction_check(c);
	n = report(c);
	icalcomponent_free(c);
	free(buf);
	return n > 0;
}
