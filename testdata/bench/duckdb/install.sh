#!/bin/bash
# install.sh DIR — install DuckDB 1.5.6 (the node bindings @duckdb/node-api
# 1.5.6-r.1, which bundle libduckdb 1.5.6) into DIR (default
# /tmp/duckdb-node) through npm, the only package registry this needs.
# bench.sh and run.mjs find it through DUCKDB_NODE_DIR (default the same DIR).
set -eu
dir=${1:-${DUCKDB_NODE_DIR:-/tmp/duckdb-node}}
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >&2
node -e 'const d=require("@duckdb/node-api");d.DuckDBInstance.create(":memory:").then(i=>i.connect()).then(c=>c.runAndReadAll("select version()")).then(r=>console.log("duckdb",r.getRows()[0][0]))'
