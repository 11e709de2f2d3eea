-- Placeholder: migration 0016 is another branch's; its file takes this number
-- at the merge (migrations run 1, 2, 3 … without gaps).
SELECT 1;
