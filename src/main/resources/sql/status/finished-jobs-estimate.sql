-- Completed and cancelled jobs, estimated from the statistics PostgreSQL keeps of the table (updated as autovacuum
-- analyzes it): the share of each status among the rows sampled, times the table's :rows.
SELECT frequent.status, round(frequent.share * :rows)::bigint AS jobs
FROM pg_stats
CROSS JOIN LATERAL unnest(CAST(CAST(pg_stats.most_common_vals AS text) AS text[]), pg_stats.most_common_freqs)
    AS frequent(status, share)
WHERE pg_stats.schemaname = current_schema() AND pg_stats.tablename = 'jobs' AND pg_stats.attname = 'status'
  AND frequent.status IN ('completed', 'cancelled')
