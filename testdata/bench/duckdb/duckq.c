/*
 * duckq.c — the smallest whole-process DuckDB: open a database file, run one
 * SQL text (all its statements, duckdb_query), exit. Linked against the
 * libduckdb.so (1.5.6) that the npm package @duckdb/node-bindings-linux-x64
 * ships, so it measures DuckDB without node's start-up (≈ 0.3–0.5 s here),
 * like the DuckDB shell would (the shell itself is not reachable: only npm).
 * The few C API declarations are written out (the package has no duckdb.h);
 * duckdb_result is only passed by pointer, so its size is an upper bound.
 *
 *   duckq DB.duckdb 'COPY (SELECT …) TO '\''out.csv'\'' (FORMAT csv, HEADER)'
 *
 * Build (install.sh does): cc -O2 -o duckq duckq.c -L$LIB -lduckdb -Wl,-rpath,$LIB
 */
#include <stdio.h>

typedef struct { void *p; } *duckdb_database;
typedef struct { void *p; } *duckdb_connection;
typedef struct { void *fields[32]; } duckdb_result;
typedef enum { DuckDBSuccess = 0, DuckDBError = 1 } duckdb_state;

duckdb_state duckdb_open(const char *path, duckdb_database *out);
duckdb_state duckdb_connect(duckdb_database db, duckdb_connection *out);
duckdb_state duckdb_query(duckdb_connection con, const char *sql, duckdb_result *out);
const char *duckdb_result_error(duckdb_result *res);
void duckdb_destroy_result(duckdb_result *res);
void duckdb_disconnect(duckdb_connection *con);
void duckdb_close(duckdb_database *db);

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: duckq DB.duckdb SQL\n");
		return 2;
	}
	duckdb_database db;
	duckdb_connection con;
	duckdb_result res;
	if (duckdb_open(argv[1], &db) != DuckDBSuccess) {
		fprintf(stderr, "duckq: %s: cannot open\n", argv[1]);
		return 1;
	}
	if (duckdb_connect(db, &con) != DuckDBSuccess) {
		fprintf(stderr, "duckq: cannot connect\n");
		return 1;
	}
	int rc = 0;
	if (duckdb_query(con, argv[2], &res) != DuckDBSuccess) {
		fprintf(stderr, "duckq: %s\n", duckdb_result_error(&res));
		rc = 1;
	}
	duckdb_destroy_result(&res);
	duckdb_disconnect(&con);
	duckdb_close(&db);
	return rc;
}
