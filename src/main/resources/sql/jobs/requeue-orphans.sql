-- Jobs an instance claimed and never started go back for any instance to claim once that instance has sent no
-- heartbeat for a lease (it was killed: one that stops hands them back itself): a first run is open again, a retry
-- failed and due as it was. An instance that was only slow is fenced out when it tries to start one.
-- So do this instance's own claims of a lease ago that it does not hold (:queuedHere): the claim committed, but the
-- connection was lost before its answer came, and nothing here would ever start them.
UPDATE jobs
SET status = CASE status WHEN :inQueue THEN :open ELSE :failed END, claimed_by = NULL, claimed_at = NULL, updated_at = now()
WHERE uuid IN (
    SELECT uuid FROM jobs
    WHERE status IN (:inQueue, :retryInQueued) AND claimed_by IS NOT NULL
      AND (NOT EXISTS (SELECT FROM instances
                       WHERE instances.id = jobs.claimed_by AND instances.heartbeat_at > now() - make_interval(secs => :leaseSeconds))
           OR (claimed_by = :owner AND claimed_at < now() - make_interval(secs => :leaseSeconds)
               AND uuid::text <> ALL (string_to_array(:queuedHere, ','))))
    FOR UPDATE SKIP LOCKED)
RETURNING *
