-- Placeholder: the customer wishes (SPEC §13) land here.
SELECT 1;
