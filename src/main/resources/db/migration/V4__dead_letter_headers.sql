-- The header of the file a dead letter came from, so that the row can be read and imported again.
ALTER TABLE dead_letters ADD COLUMN header text;
