-- One fire time of a schedule at a time, across instances: its count of unfinished jobs and the job it makes are
-- one transaction, which holds this lock until it ends
SELECT pg_advisory_xact_lock(hashtext('dromedary:schedule:' || :schedule))
