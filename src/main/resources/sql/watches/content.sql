-- A watch's newest snapshot's text, cut to :chars characters
SELECT left(content, :chars) AS content, length(content) > :chars AS content_cut, content_hash, etag, last_modified
FROM watch_snapshots WHERE watch = :watch ORDER BY id DESC LIMIT 1
