-- Tier pins and snapshots (filled in with the tier commands).
SELECT 1;
