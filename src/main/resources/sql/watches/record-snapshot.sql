-- What a run selected, when it differs from the previous snapshot or there is none
INSERT INTO watch_snapshots (watch, job_uuid, url, content_hash, content, lines, etag, last_modified, changed,
                             lines_added, lines_removed, diff)
VALUES (:watch, :job, :url, :hash, :content, :lines, :etag, :lastModified, :changed, :linesAdded, :linesRemoved, :diff)
RETURNING id, taken_at
