-- Credit limits and overrides (filled in with the credit commands).
SELECT 1;
