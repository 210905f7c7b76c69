-- The object of an import filed before is in the inbox again, unchanged: file it again
UPDATE jobs SET job_response = job_response - 'filed_to', updated_at = now() WHERE uuid = :uuid
