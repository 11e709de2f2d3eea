// run.mjs — run one SQL file against a DuckDB database file, as one process.
//
//   node run.mjs DB.duckdb FILE.sql [KEY=VALUE ...] [--out OUT.csv]
//
// {{KEY}} in FILE.sql is replaced by VALUE (as_of=2026-12-02,
// csv=/work/bench/orders1m.csv). With --out the file must hold one SELECT
// (no trailing semicolon) and its rows are written by DuckDB's own CSV
// writer: COPY (query) TO 'OUT' (HEADER) — strings quoted only when they need
// it, NULL as an empty field, booleans as true/false, like crm's CSV. Without
// --out the file's statements are executed (load.sql).
// The bindings are looked up in DUCKDB_NODE_DIR (default /tmp/duckdb-node,
// see install.sh).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.DUCKDB_NODE_DIR || '/tmp/duckdb-node';
const require = createRequire(path.join(dir, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const args = process.argv.slice(2);
let out = null;
const vars = {};
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i];
  else if (/^[a-z_]+=/.test(args[i])) { const j = args[i].indexOf('='); vars[args[i].slice(0, j)] = args[i].slice(j + 1); }
  else pos.push(args[i]);
}
if (pos.length !== 2) {
  console.error('usage: node run.mjs DB.duckdb FILE.sql [KEY=VALUE ...] [--out OUT.csv]');
  process.exit(2);
}
let sql = readFileSync(pos[1], 'utf8').replace(/\{\{([a-z_]+)\}\}/g, (m, k) => {
  if (!(k in vars)) { console.error(`${pos[1]}: {{${k}}} not given`); process.exit(2); }
  return vars[k];
});
const db = await DuckDBInstance.create(pos[0]);
const con = await db.connect();
if (out !== null) {
  sql = sql.replace(/--[^\n]*/g, '').trim().replace(/;$/, '');
  await con.run(`COPY (${sql}) TO '${out.replaceAll("'", "''")}' (FORMAT csv, HEADER)`);
} else {
  await con.run(sql);
}
con.closeSync();
db.closeSync();
