-- How many rows the jobs table holds, as its statistics last counted them (0 before they ever did).
SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'jobs'::regclass
