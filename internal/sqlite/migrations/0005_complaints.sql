-- Complaints (filled in with the complaint commands).
SELECT 1;
