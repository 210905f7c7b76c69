-- Completed and cancelled jobs, estimated from the statistics PostgreSQL keeps of the table (updated as autovacuum
-- analyzes it): the share of each status among the rows sampled, times the rows.
SELECT frequent.status, round(frequent.share * greatest(class.reltuples, 0))::bigint AS jobs
FROM pg_stats
CROSS JOIN LATERAL unnest(CAST(CAST(pg_stats.most_common_vals AS text) AS text[]), pg_stats.most_common_freqs)
    AS frequent(status, share)
CROSS JOIN (SELECT reltuples FROM pg_class WHERE oid = 'jobs'::regclass) AS class
WHERE pg_stats.schemaname = current_schema() AND pg_stats.tablename = 'jobs' AND pg_stats.attname = 'status'
  AND frequent.status IN ('completed', 'cancelled')
