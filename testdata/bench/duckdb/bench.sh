#!/bin/bash
# bench.sh — crm next to DuckDB 1.5.6 on the same genorders file, whole
# process, both writing CSV (issue 16).
#
#   bench.sh SIZE CRM [WORK]
#
# SIZE   1m or 10m (/work/bench/orders$SIZE.csv) or the path of a genorders CSV.
# CRM    the crm binary to measure (a parameter, so the same run can be made
#        again with a newer crm).
# WORK   scratch directory (default /tmp/duckdb-bench); needs ~1.5 GB at 10m.
#
# Once per SIZE: `crm import orders FILE --create-customers` into a book kept
# per crm binary (WORK/SIZE/crm-<sha256 prefix>.db; BOOK=path to reuse one),
# and load.sql into WORK/SIZE/duck.duckdb (DuckDB's own tables). Then for each
# command it writes both answers once and compares them byte for byte, and
# runs the pair alternately (crm, DuckDB, crm, …: WARM pairs first, then RUNS
# pairs, default 1 and 5) under /usr/bin/time, and prints a markdown table of
# the medians: seconds (wall), peak RSS (MB = 10^6 bytes), the median of the
# per-pair ratios crm/DuckDB (wall), CPU seconds (user + system: steadier
# than wall time on a shared machine), and whether the CSVs are identical (a diff of
# the first lines otherwise, and the files stay in WORK/SIZE/out).
#
# Environment: ONLY=regex picks commands by name (ONLY='^(tier|churn)$');
# EXTRA=1 adds `credit aging --as-of 2024-12-31` and `churn --as-of
# 2024-12-31` (dates inside the data: every bucket and status is used);
# AS_OF=YYYY-MM-DD replaces "today" (default: crm runs without --as-of, its
# own default, and DuckDB gets `date +%F`, local time, as crm does; with
# AS_OF both get that date, crm as --as-of); DUCKDB_NODE_DIR as in install.sh (installed
# there on first use). DuckDB runs with its defaults (all cores, memory limit
# 80 % of RAM), crm with its own. RUNNER=duckq (default when install.sh could
# build it: a C program over the same libduckdb.so, ≈ 40 ms of start-up) or
# RUNNER=node (run.mjs: node and the bindings add ≈ 0.3–0.6 s a run here);
# the table's header line says which, and its floor (a one-row COPY).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n '2,/^set -eu/p' "$0" | sed 's/^# \{0,1\}//' | head -n -1 >&2; exit 2; }
size=$1
crm=$(readlink -f "$2")
work=${3:-/tmp/duckdb-bench}
case $size in
*/*) csv=$size; size=$(basename "$csv" .csv) ;;
*) csv=/work/bench/orders$size.csv ;;
esac
[ -r "$csv" ] || { echo "bench.sh: $csv: not readable" >&2; exit 1; }
[ -x "$crm" ] || { echo "bench.sh: $crm: not an executable" >&2; exit 1; }
export DUCKDB_NODE_DIR=${DUCKDB_NODE_DIR:-/tmp/duckdb-node}
[ -d "$DUCKDB_NODE_DIR/node_modules/@duckdb/node-api" ] || "$here/install.sh" "$DUCKDB_NODE_DIR" >&2
runner=${RUNNER:-duckq}
if [ "$runner" = duckq ] && [ ! -x "$DUCKDB_NODE_DIR/duckq" ]; then
	echo "bench.sh: no $DUCKDB_NODE_DIR/duckq (install.sh needs a C compiler): RUNNER=node" >&2
	runner=node
fi
# duckcmd SQLFILE AS_OF OUT sets dcmd to the command that has DuckDB write
# the file's query as CSV to OUT (the SQL text is made before any timing).
duckcmd() {
	if [ "$runner" = node ]; then
		dcmd=(node "$here/run.mjs" "$duck" "$1" as_of="$2" --out "$3")
	else
		dcmd=("$DUCKDB_NODE_DIR/duckq" "$duck" "COPY ($(sed -e 's/--.*$//' -e "s/{{as_of}}/$2/g" "$1")) TO '$3' (FORMAT csv, HEADER)")
	fi
}
warm=${WARM:-1}
runs=${RUNS:-5}
today=${AS_OF:-$(date +%F)}
todayflag=${AS_OF:+ --as-of $AS_OF}
dir=$work/$size
mkdir -p "$dir/out"
orders=$(($(wc -l < "$csv") - 1))

book=${BOOK:-$dir/crm-$(sha256sum "$crm" | cut -c1-12).db}
if [ ! -f "$book" ]; then
	echo "importing $csv into $book …" >&2
	/usr/bin/time -f '%e %M' -o "$dir/import.time" "$crm" --db "$book.tmp" import orders "$csv" --create-customers >&2
	mv "$book.tmp" "$book"
	rm -f "$book.tmp-wal" "$book.tmp-shm"
	read -r s kb < "$dir/import.time"
	echo "crm import: $s s, $((kb * 1024 / 1000000)) MB peak" >&2
fi
duck=$dir/duck.duckdb
if [ ! -f "$duck" ]; then
	echo "loading $csv into $duck …" >&2
	/usr/bin/time -f '%e %M' -o "$dir/load.time" node "$here/run.mjs" "$duck.tmp" "$here/load.sql" csv="$csv"
	mv "$duck.tmp" "$duck"
	rm -f "$duck.tmp.wal"
	read -r s kb < "$dir/load.time"
	echo "DuckDB load: $s s, $((kb * 1024 / 1000000)) MB peak" >&2
fi

# name|crm arguments|SQL file|as-of for the SQL
cmds=(
	"rfm score|rfm score$todayflag|rfm_score.sql|$today"
	"rfm score --as-of 2024-06-30|rfm score --as-of 2024-06-30|rfm_score.sql|2024-06-30"
	"tier|tier$todayflag|tier.sql|$today"
	"credit aging|credit aging$todayflag|credit_aging.sql|$today"
	"churn|churn$todayflag|churn.sql|$today"
)
if [ "${EXTRA:-0}" = 1 ]; then
	cmds+=(
		"credit aging --as-of 2024-12-31|credit aging --as-of 2024-12-31|credit_aging.sql|2024-12-31"
		"churn --as-of 2024-12-31|churn --as-of 2024-12-31|churn.sql|2024-12-31"
	)
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.4g\n", (a[NR/2]+a[NR/2+1])/2}'; }
mb() { awk '{printf "%.0f\n", $1 * 1024 / 1000000}'; }

echo "crm: $crm ($("$crm" --version 2>/dev/null | head -1)); book $book"
echo "DuckDB: $duck ($(node -e "const r=require('module').createRequire('$DUCKDB_NODE_DIR/package.json');console.log(r('@duckdb/node-api/package.json').version)"))"
echo "file: $csv ($orders orders); as-of today: $today${AS_OF:+ (given to crm)}; pairs: $warm warm-up + $runs measured, alternating"
: > "$dir/out/floor.t"
duckcmd "$here/floor.sql" - "$dir/out/floor.csv"
for i in 1 2 3 4 5; do
	/usr/bin/time -f '%e %M' -o "$dir/t" "${dcmd[@]}"
	cat "$dir/t" >> "$dir/out/floor.t"
done
echo "DuckDB process floor ($runner: start-up + open + one-row COPY, floor.sql): $(cut -d' ' -f1 "$dir/out/floor.t" | median) s, $(cut -d' ' -f2 "$dir/out/floor.t" | median | mb) MB"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
echo "| command | orders | crm s | DuckDB s | ratio | crm peak MB | DuckDB peak MB | crm CPU s | DuckDB CPU s | same CSV |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
diffs=""
for c in "${cmds[@]}"; do
	IFS='|' read -r name args sql asof <<< "$c"
	if [ -n "${ONLY:-}" ] && ! [[ $name =~ $ONLY ]]; then continue; fi
	key=$(echo "$name" | tr -c 'a-z0-9\n' '_')
	cout=$dir/out/crm_$key.csv
	dout=$dir/out/duck_$key.csv
	: > "$dir/out/$key.crm.t"
	: > "$dir/out/$key.duck.t"
	duckcmd "$here/$sql" "$asof" "$dout"
	for i in $(seq 1 $((warm + runs))); do
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M %U %S' -o "$dir/t" "$crm" --db "$book" --format csv $args > "$cout"
		[ "$i" -gt "$warm" ] && cat "$dir/t" >> "$dir/out/$key.crm.t"
		/usr/bin/time -f '%e %M %U %S' -o "$dir/t" "${dcmd[@]}"
		[ "$i" -gt "$warm" ] && cat "$dir/t" >> "$dir/out/$key.duck.t"
	done
	cs=$(cut -d' ' -f1 "$dir/out/$key.crm.t" | median)
	ds=$(cut -d' ' -f1 "$dir/out/$key.duck.t" | median)
	ratio=$(paste -d' ' "$dir/out/$key.crm.t" "$dir/out/$key.duck.t" | awk '{printf "%.4f\n", $1 / $5}' | median)
	cm=$(cut -d' ' -f2 "$dir/out/$key.crm.t" | median | mb)
	dm=$(cut -d' ' -f2 "$dir/out/$key.duck.t" | median | mb)
	ccpu=$(awk '{print $3 + $4}' "$dir/out/$key.crm.t" | median)
	dcpu=$(awk '{print $3 + $4}' "$dir/out/$key.duck.t" | median)
	if cmp -s "$cout" "$dout"; then
		same="yes ($(($(wc -l < "$cout") - 1)) rows)"
	else
		same="**no**"
		diffs+=$'\n'"== $name: diff $cout $dout"$'\n'"$(diff "$cout" "$dout" | head -6)"
	fi
	printf '| `%s` | %s | %.2f | %.2f | %.2f | %s | %s | %.2f | %.2f | %s |\n' "$name" "$orders" "$cs" "$ds" "$ratio" "$cm" "$dm" "$ccpu" "$dcpu" "$same"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$diffs" ]; then
	echo "$diffs"
	exit 1
fi
