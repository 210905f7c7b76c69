-- One instance at a time delivers the events, until its transaction ends; the others skip their turn.
SELECT pg_try_advisory_xact_lock(hashtext('dromedary:job-events'))
