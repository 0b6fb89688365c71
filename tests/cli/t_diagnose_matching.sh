#!/bin/sh
# diagnose from the matching itself (issue 16 items 4 and 5): how many more
# mentor places, of which kind, would match the mentees a matching leaves
# waiting today; mentors who let two proposals expire unanswered.  Reading
# the data changes nothing.
. "$TOP/tests/cli/lib.sh"

sample_programme eng-2027
for e in $(q "SELECT p.email FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.role = 'mentor' ORDER BY p.email LIMIT 4"); do
	setup_ok withdraw eng-2027 "$e"
done
expect 0 match eng-2027 --dry-run
n=$(sed -n 's/.*(\([0-9]*\) mentees unmatched.*/\1/p' "$T/.err")
check '[ "${n:-0}" -gt 0 ]' "the dry run leaves nobody unmatched: $(cat "$T/.err")"
before=$(db_dump | md5sum)
expect 0 --format csv diagnose eng-2027
check '[ "$(db_dump | md5sum)" = "$before" ]' "diagnose changed the database"
out_has "$n eligible mentees would stay unmatched today: $n more mentor places would match them"
out_has ",capacity"
out_has "more places for mentors scoring at least 20"

# A mentor who lets two proposals run out.
m=$(q "SELECT p.email FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.role = 'mentor' AND e.status <> 'withdrawn' ORDER BY p.email LIMIT 1")
e1=$(q "SELECT p.email FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.role = 'mentee' ORDER BY p.email LIMIT 1")
e2=$(q "SELECT p.email FROM enrollment e JOIN person p ON p.id = e.person_id WHERE e.role = 'mentee' ORDER BY p.email LIMIT 1 OFFSET 1")
setup_ok --today 2027-01-04 pair eng-2027 "$m" "$e1" --force
setup_ok --today 2027-01-20 pair eng-2027 "$m" "$e2" --force
expect 0 --today 2027-02-10 --format csv diagnose eng-2027
out_has "1 mentor let proposals expire without an answer, twice or more"
out_has "$m (2 proposals expired)"
out_has ",mentor-lapses"
done_testing
