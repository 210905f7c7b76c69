-- A watch keeps its newest WATCH_SNAPSHOTS_KEPT snapshots
DELETE FROM watch_snapshots WHERE watch = :watch AND id < (
    SELECT min(id) FROM (SELECT id FROM watch_snapshots WHERE watch = :watch ORDER BY id DESC LIMIT :kept) AS kept)
