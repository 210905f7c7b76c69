SELECT * FROM jobs WHERE idempotency_key = :idempotencyKey
