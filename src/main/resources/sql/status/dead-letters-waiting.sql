SELECT count(*) FROM dead_letters WHERE reprocessed_at IS NULL
