-- A run found the selected text unchanged: the newest snapshot was checked again, with the answer's validators
UPDATE watch_snapshots SET checked_at = now(), etag = coalesce(:etag, etag), last_modified = coalesce(:lastModified, last_modified)
WHERE id = :id
RETURNING checked_at
