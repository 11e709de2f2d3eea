#!/bin/bash
# Start-up cost of crm, whole process, side by side with the closest peer CLI
# on the same driver (crm-cli, github.com/jdanielnd/crm-cli: `person show`),
# on a book of 100,000 customers (crm) and 100,000 people (crm-cli).
# Usage: startup.sh CRM CRM_CLI DIR [hyperfine options…]
#   CRM      a crm binary (go build -o /tmp/crm .)
#   CRM_CLI  a crm-cli binary (go build -o /tmp/crm-cli ./cmd/crm in its source)
#   DIR      where the two books are made (once; kept for the next run)
# It runs hyperfine (defaults: -N -w 5 -r 50) on --version, `customer show`
# and `credit check` and crm-cli's --version and `person show`, then prints
# each one's median and its ratio to the peer's (needs jq).
set -eu
crm=$1 peer=$2 dir=$3
shift 3
opts=("$@")
[ ${#opts[@]} -gt 0 ] || opts=(-N -w 5 -r 50)
mkdir -p "$dir"
book=$dir/crm.db peerbook=$dir/crm-cli.db
n=100000

if [ ! -s "$book" ]; then
	awk -v n=$n 'BEGIN {
		print "code,name,type,city,phone,email"
		for (i = 1; i <= n; i++)
			printf "C%06d,Customer %d Ltd,company,City %d,+1 555 %07d,c%d@example.com\n", i, i, i % 97, i, i
	}' >"$dir/customers.csv"
	"$crm" --db "$book" import customers "$dir/customers.csv" 2>/dev/null
	# An approved check exits 0 (hyperfine stops at any other status).
	"$crm" --db "$book" credit limit C050000 1000000 --reason "start-up benchmark" >/dev/null
fi
if [ ! -s "$peerbook" ]; then
	"$peer" --db "$peerbook" person add "Person 1" >/dev/null
	sqlite3 "$peerbook" >/dev/null <<SQL
WITH RECURSIVE i(x) AS (SELECT 2 UNION ALL SELECT x + 1 FROM i WHERE x < $n)
INSERT INTO people (uuid, first_name, last_name, email, phone, company, location)
SELECT printf('00000000-0000-4000-8000-%012d', x), 'Person', x, printf('p%d@example.com', x),
       printf('+1 555 %07d', x), printf('Company %d Ltd', x), printf('City %d', x % 97) FROM i;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
fi
"$crm" --db "$book" customer show C050000 >/dev/null
"$crm" --db "$book" credit check C050000 100 >/dev/null
"$peer" --db "$peerbook" person show 50000 >/dev/null

hyperfine "${opts[@]}" --export-json "$dir/startup.json" \
	"$crm --version" \
	"$peer --version" \
	"$crm --db $book customer show C050000" \
	"$crm --db $book credit check C050000 100" \
	"$peer --db $peerbook person show 50000"

jq -r '.results | (.[1].median) as $pv | (.[4].median) as $ps |
	["crm --version", "crm-cli --version", "crm customer show", "crm credit check", "crm-cli person show"] as $names |
	to_entries[] | "\($names[.key])\t\(.value.median * 1000 * 100 | round / 100) ms\t" +
	(if .key < 2 then "\(.value.median / $pv * 100 | round / 100)x" else "\(.value.median / $ps * 100 | round / 100)x" end)' \
	"$dir/startup.json" | column -t -s "$(printf '\t')"
