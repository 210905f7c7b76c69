DELETE FROM instances WHERE id = :id
