-- The ids crm makes itself — orders O000001, payments P000001, customer
-- codes C00001 — are one past the highest number of that form in use. The
-- ids that begin with the letter and a digit get a partial index on their
-- number, so that finding the highest is a seek from the top (the queries
-- then check the digits on the few rows they read): `order add` on a book
-- of 1,000,000 O-numbered orders read them all (0.6 s). Ids of other forms
-- ("ORD-…", "CUST-…") are not in them, and a range (two comparisons) is all
-- a row costs an import. Only adds indexes.
-- OWNER: internal/sqlite/orders.go (nextIDSQL) and customers.go
-- (maxCodeSQL), whose queries name these indexes (INDEXED BY) and repeat
-- their WHERE (a partial index serves a query whose WHERE implies its own).
CREATE INDEX orders_auto_no ON orders (CAST(substr(order_no, 2) AS INTEGER))
    WHERE order_no >= 'O0' AND order_no < 'O:';
CREATE INDEX payments_auto_no ON payments (CAST(substr(payment_no, 2) AS INTEGER))
    WHERE payment_no >= 'P0' AND payment_no < 'P:';
CREATE INDEX customers_auto_code ON customers (CAST(substr(code, 2) AS INTEGER))
    WHERE code >= 'C0' AND code < 'C:';
