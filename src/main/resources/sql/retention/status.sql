-- What retention has pruned, for the status
SELECT jobs_pruned, last_pruned_at FROM retention
