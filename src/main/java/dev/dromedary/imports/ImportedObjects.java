package dev.dromedary.imports;

import dev.dromedary.jobs.JobStatus;
import dev.dromedary.jobs.SqlFile;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The objects imported in full, and those being imported now, by bucket, key, ETag and dataset. */
public final class ImportedObjects {

    private static final String FIND = SqlFile.load("sql/imports/find-imported-object.sql");
    private static final String RECORD = SqlFile.load("sql/imports/record-imported-object.sql");
    private static final String TAKE_RUNNING = SqlFile.load("sql/imports/take-running-import.sql");
    private static final String FIND_RUNNING = SqlFile.load("sql/imports/find-running-import.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public ImportedObjects(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /** Which job imported this very object before, and when. */
    public record Import(UUID jobUuid, OffsetDateTime importedAt) {
    }

    Optional<Import> find(String bucket, String key, String etag, String dataset) {
        return jdbc.query(FIND, parameters(bucket, key, etag, dataset),
                (rs, row) -> new Import(rs.getObject("job_uuid", UUID.class), rs.getObject("imported_at", OffsetDateTime.class)))
                .stream().findFirst();
    }

    /**
     * Takes the object for {@code jobUuid}'s import; when another job that still runs imports it, takes
     * nothing and answers that job (and when it started).
     */
    Optional<Import> takeForImport(String bucket, String key, String etag, String dataset, UUID jobUuid) {
        MapSqlParameterSource parameters = parameters(bucket, key, etag, dataset).addValue("jobUuid", jobUuid)
                .addValue("running", JobStatus.RUNNING);
        if (!jdbc.queryForList(TAKE_RUNNING, parameters, UUID.class).isEmpty()) {
            return Optional.empty();
        }
        return jdbc.query(FIND_RUNNING, parameters,
                (rs, row) -> new Import(rs.getObject("job_uuid", UUID.class), rs.getObject("imported_at", OffsetDateTime.class)))
                .stream().findFirst();
    }

    void record(String bucket, String key, String etag, String dataset, UUID jobUuid, long rowsImported) {
        jdbc.update(RECORD, parameters(bucket, key, etag, dataset)
                .addValue("jobUuid", jobUuid)
                .addValue("rowsImported", rowsImported));
    }

    private static MapSqlParameterSource parameters(String bucket, String key, String etag, String dataset) {
        return new MapSqlParameterSource()
                .addValue("bucket", bucket)
                .addValue("key", key)
                .addValue("etag", etag)
                .addValue("dataset", dataset);
    }
}
