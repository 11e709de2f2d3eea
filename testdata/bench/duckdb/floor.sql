-- floor.sql — DuckDB's whole-process floor in this harness: node, the
-- bindings, opening the database file and a one-row COPY … TO CSV. bench.sh
-- prints its median so that DuckDB's query time alone can be read off.
SELECT 1 AS one
