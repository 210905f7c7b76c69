SELECT * FROM jobs WHERE status IN (:running) ORDER BY started_at, id LIMIT :limit
