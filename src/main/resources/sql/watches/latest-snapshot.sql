-- A watch's newest snapshot: the baseline a run compares with, and the validators of its conditional request
SELECT id, taken_at, content_hash, content, etag, last_modified
FROM watch_snapshots WHERE watch = :watch ORDER BY id DESC LIMIT 1
