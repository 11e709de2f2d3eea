#!/bin/bash
# install.sh DIR — install DuckDB 1.5.6 (the node bindings @duckdb/node-api
# 1.5.6-r.1, which bundle libduckdb 1.5.6) into DIR (default
# /tmp/duckdb-node) through npm, the only package registry this needs, and
# build DIR/duckq (duckq.c) against the libduckdb.so of that package when a C
# compiler is there. bench.sh and run.mjs find it through DUCKDB_NODE_DIR
# (default the same DIR).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${DUCKDB_NODE_DIR:-/tmp/duckdb-node}}
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >&2
lib=$dir/node_modules/@duckdb/node-bindings-linux-x64
if command -v cc >/dev/null && [ -f "$lib/libduckdb.so" ]; then
	cc -O2 -Wall -o "$dir/duckq" "$src/duckq.c" -L"$lib" -lduckdb -Wl,-rpath,"$lib"
	"$dir/duckq" :memory: "SELECT 1" && echo "built $dir/duckq" >&2
fi
node -e 'const d=require("@duckdb/node-api");d.DuckDBInstance.create(":memory:").then(i=>i.connect()).then(c=>c.runAndReadAll("select version()")).then(r=>console.log("duckdb",r.getRows()[0][0]))'
