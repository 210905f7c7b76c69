-- The watch becomes the job's to run, unless another job that is still running holds it
INSERT INTO watches (name, url, running_job) VALUES (:watch, :url, :job)
ON CONFLICT (name) DO UPDATE SET running_job = :job, url = :url
WHERE watches.running_job IS NULL OR watches.running_job = :job
   OR NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.uuid = watches.running_job AND jobs.status IN ('processing', 'retrying'))
RETURNING name
