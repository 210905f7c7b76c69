package dev.dromedary.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.api.ApiError;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import dev.dromedary.jobs.SqlFile;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 inbox: a CSV object (*.csv) put under the inbox prefix becomes one insert_csv_file job, and its object is
 * filed under the processed or failed prefix once the job has ended. Java for what no component does:
 * choosing the dataset from the key, and making the job once per object (key and ETag) across instances,
 * through the jobs table's unique idempotency key.
 */
public final class S3Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(S3Inbox.class);
    private static final String CLAIM_SETTLED = SqlFile.load("sql/inbox/claim-settled-imports.sql");
    private static final String UNFILE = SqlFile.load("sql/inbox/unfile.sql");
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final JobStore jobs;
    private final Datasets datasets;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String bucket;
    private final String prefix;
    private final String processedPrefix;
    private final String failedPrefix;
    private final String defaultDataset;
    private final int retryCount;

    public S3Inbox(JobStore jobs, Datasets datasets, DataSource dataSource, ObjectMapper json, String bucket,
                   String prefix, String processedPrefix, String failedPrefix, String defaultDataset, int retryCount) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.json = json;
        this.bucket = bucket;
        this.prefix = prefix;
        this.processedPrefix = processedPrefix;
        this.failedPrefix = failedPrefix;
        this.defaultDataset = defaultDataset;
        this.retryCount = retryCount;
    }

    /** Makes the import job of a listed object, unless one was made for this key and ETag before. */
    public void importObject(S3Object object) {
        if (!object.key().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return;
        }
        String dataset = datasetOf(object.key());
        ObjectNode data = json.createObjectNode()
                .put("s3_bucket", bucket)
                .put("s3_key", object.key())
                .put("service", dataset);
        String idempotencyKey = "inbox:" + bucket + "/" + object.key() + "@" + object.eTag();
        JobStore.Created created = jobs.create(new NewJob("insert_csv_file", data, retryCount, 30, idempotencyKey));
        if (created.isNew()) {
            LOG.info("Inbox: s3://{}/{} (ETag {}) is job {} into {}", bucket, object.key(), object.eTag(),
                    created.job().uuid(), dataset);
        } else if (created.job().jobResponse().has("filed_to") && created.job().completedAt() != null
                && !object.lastModified().isBefore(created.job().completedAt().toInstant().truncatedTo(ChronoUnit.SECONDS))) {
            // the same object put again after its import ended (S3 times are whole seconds, so one put in that
            // second counts too; filing an object that is gone already does no harm): no new job, filed again
            jdbc.update(UNFILE, new MapSqlParameterSource("uuid", created.job().uuid()));
        }
    }

    /** The dataset a key names by its first folder under the inbox ({@code incoming/company/…}), or the default. */
    String datasetOf(String key) {
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash > 0 && datasets.has(rest.substring(0, slash))) {
            return rest.substring(0, slash);
        }
        return defaultDataset;
    }

    /** The objects whose imports have ended, each with where it goes; each is claimed by this instance alone. */
    public List<Map<String, Object>> settledImports() {
        return jdbc.queryForList(CLAIM_SETTLED, new MapSqlParameterSource()
                .addValue("inboxPrefix", prefix)
                .addValue("processedPrefix", processedPrefix)
                .addValue("failedPrefix", failedPrefix));
    }

    /**
     * The key under the inbox that an upload of {@code filename} gets (for {@code service}, when given):
     * a folder of its own, so that two uploads of one name do not overwrite each other.
     */
    public void uploadKey(Exchange exchange, @Header("filename") String filename, @Header("service") String service) {
        if (filename == null || !FILENAME.matcher(filename).matches()) {
            throw ApiError.badRequest("ERR_INVALID_FILENAME: 'filename' must be 1 to 200 letters, digits, '.', '_' or '-'");
        }
        if (service != null && !datasets.has(service)) {
            throw ApiError.badRequest("ERR_INVALID_SERVICE: '" + service + "' is not a dataset; the datasets are "
                    + datasets.names());
        }
        String folder = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String key = prefix + (service == null ? "" : service + "/") + folder + "/" + filename;
        exchange.getMessage().setHeader("CamelAwsS3Key", key);
    }

    /** What the upload-url request answers: the presigned PUT URL (the body) and the key it writes. */
    public Map<String, Object> uploadLink(Exchange exchange) {
        return Map.of("upload_url", exchange.getMessage().getBody(String.class),
                "s3_key", exchange.getMessage().getHeader("CamelAwsS3Key", String.class));
    }
}
