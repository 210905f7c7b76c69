SELECT * FROM jobs WHERE claimed_by = :owner AND status IN (:running)
