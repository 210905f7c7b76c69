-- One instance at a time prunes, until its transaction ends; the others skip their turn
SELECT pg_try_advisory_xact_lock(hashtext('dromedary:retention'))
