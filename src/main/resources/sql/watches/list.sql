-- The watches, each with its newest snapshot's times and its count of changes
SELECT w.name, w.url, w.created_at, w.running_job, s.taken_at AS changed_at, s.checked_at, s.lines,
       (SELECT count(*) FROM watch_snapshots c WHERE c.watch = w.name AND c.changed) AS changes
FROM watches w
LEFT JOIN LATERAL (SELECT taken_at, checked_at, lines FROM watch_snapshots
                   WHERE watch = w.name ORDER BY id DESC LIMIT 1) s ON true
WHERE (:watch::text IS NULL OR w.name = :watch)
ORDER BY w.name
LIMIT :limit
