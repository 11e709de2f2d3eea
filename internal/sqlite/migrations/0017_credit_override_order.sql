-- The order an override let through: its order id (orders.order_no), written
-- by `order add --override` in the transaction that writes the order. NULL:
-- `credit check --override` (a check, no order), or an override recorded
-- before this column. Text, not a reference to orders.id: the audit log keeps
-- naming the order after the order is removed.
ALTER TABLE credit_overrides ADD COLUMN order_no TEXT;
