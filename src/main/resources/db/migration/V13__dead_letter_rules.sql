-- The processing rule a dead letter broke (email, min, unique, …), null for a row of the wrong shape or type: a
-- job's answer counts its dead letters by rule
ALTER TABLE dead_letters ADD COLUMN rule text;
