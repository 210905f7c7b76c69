-- The job lets go of the watch it ran
UPDATE watches SET running_job = NULL WHERE name = :watch AND running_job = :job
