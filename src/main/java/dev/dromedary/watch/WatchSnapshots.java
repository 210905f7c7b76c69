package dev.dromedary.watch;

import dev.dromedary.jobs.SqlFile;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The watches table (which job runs a watch) and each watch's snapshots (sql/watches). */
public final class WatchSnapshots {

    private static final String CLAIM = SqlFile.load("sql/watches/claim.sql");
    private static final String HOLDER = SqlFile.load("sql/watches/holder.sql");
    private static final String RELEASE = SqlFile.load("sql/watches/release.sql");
    private static final String LATEST = SqlFile.load("sql/watches/latest-snapshot.sql");
    private static final String RECORD = SqlFile.load("sql/watches/record-snapshot.sql");
    private static final String RECORD_CHECK = SqlFile.load("sql/watches/record-check.sql");
    private static final String FORGET_OLD = SqlFile.load("sql/watches/forget-old-snapshots.sql");

    /** A watch's newest snapshot: its lines, validators and times. */
    public record Snapshot(long id, Instant takenAt, String hash, String content, String etag, String lastModified) {

        List<String> lines() {
            return content.isEmpty() ? List.of() : List.of(content.split("\n", -1));
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final int kept;

    public WatchSnapshots(DataSource dataSource, int kept) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.kept = kept;
    }

    /** Makes the watch the job's to run; the uuid of the running job that holds it instead, or null once it is the job's. */
    UUID claim(String watch, String url, UUID job) {
        List<String> claimed = jdbc.queryForList(CLAIM, new MapSqlParameterSource("watch", watch).addValue("url", url)
                .addValue("job", job), String.class);
        if (!claimed.isEmpty()) {
            return null;
        }
        return jdbc.queryForObject(HOLDER, new MapSqlParameterSource("watch", watch), UUID.class);
    }

    void release(String watch, UUID job) {
        jdbc.update(RELEASE, new MapSqlParameterSource("watch", watch).addValue("job", job));
    }

    Snapshot latest(String watch) {
        List<Snapshot> found = jdbc.query(LATEST, new MapSqlParameterSource("watch", watch), (row, n) -> new Snapshot(
                row.getLong("id"), row.getTimestamp("taken_at").toInstant(), row.getString("content_hash"), row.getString("content"), row.getString("etag"), row.getString("last_modified")));
        return found.isEmpty() ? null : found.get(0);
    }

    /** Stores a new snapshot; when it was taken. */
    Instant record(WatchRun run) {
        MapSqlParameterSource values = new MapSqlParameterSource("watch", run.job.watch()).addValue("job", run.jobUuid)
                .addValue("url", run.url).addValue("hash", run.hash).addValue("content", String.join("\n", run.lines))
                .addValue("lines", run.lines.size()).addValue("etag", run.etag).addValue("lastModified", run.lastModified)
                .addValue("changed", run.changed()).addValue("linesAdded", run.diff == null ? 0 : run.diff.linesAdded())
                .addValue("linesRemoved", run.diff == null ? 0 : run.diff.linesRemoved())
                .addValue("diff", run.diff == null ? null : run.diff.unified());
        Instant takenAt = jdbc.queryForObject(RECORD, values, (row, n) -> row.getTimestamp("taken_at").toInstant());
        jdbc.update(FORGET_OLD, new MapSqlParameterSource("watch", run.job.watch()).addValue("kept", kept));
        return takenAt;
    }

    /** The newest snapshot was found again: when. */
    Instant checked(WatchRun run) {
        return jdbc.queryForObject(RECORD_CHECK, new MapSqlParameterSource("id", run.previous.id()).addValue("etag", run.etag)
                .addValue("lastModified", run.lastModified), Timestamp.class).toInstant();
    }
}
