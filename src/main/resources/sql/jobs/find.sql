SELECT * FROM jobs WHERE uuid = :uuid
