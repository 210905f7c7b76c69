-- A watch's snapshots newest first: the baseline and each change, with its diff cut to :diffChars characters
SELECT id, job_uuid, url, taken_at, checked_at, changed, lines, lines_added, lines_removed,
       left(diff, :diffChars) AS diff, length(diff) > :diffChars AS diff_cut
FROM watch_snapshots
WHERE watch = :watch AND (:before::bigint IS NULL OR id < :before)
ORDER BY id DESC
LIMIT :limit
