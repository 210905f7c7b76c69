package dev.dromedary.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.api.ApiError;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.formats.FileFormat;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import dev.dromedary.jobs.SqlFile;
import java.time.temporal.ChronoUnit;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 inbox: an object a format reads (*.csv, *.tsv, *.xlsx, *.jsonl, …, perhaps gzipped) put under the inbox prefix becomes one insert_csv_file job, and its object is
 * filed under the processed or failed prefix once the job has ended (an object of another kind at once). Java for what no component does:
 * choosing the dataset from the key, and making the job once per object (key and ETag) across instances,
 * through the jobs table's unique idempotency key.
 */
public final class S3Inbox {

    private static final Logger LOG = LoggerFactory.getLogger(S3Inbox.class);
    private static final String CLAIM_SETTLED = SqlFile.load("sql/inbox/claim-settled-imports.sql");
    private static final String UNFILE = SqlFile.load("sql/inbox/unfile.sql");
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** The endings of the files an import reads. */

    private final JobStore jobs;
    private final S3Client s3;
    private final Datasets datasets;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String bucket;
    private final String prefix;
    private final String processedPrefix;
    private final String failedPrefix;
    private final String defaultDataset;
    private final int retryCount;
    private final int retryInterval;
    /** Folders under the inbox whose objects are imported as mirrors of their dataset. */
    private final List<String> mirrorFolders;

    public S3Inbox(JobStore jobs, S3Client s3, Datasets datasets, DataSource dataSource, ObjectMapper json, String bucket,
                   String prefix, String processedPrefix, String failedPrefix, String defaultDataset, int retryCount,
                   int retryInterval, List<String> mirrorFolders) {
        this.jobs = jobs;
        this.s3 = s3;
        this.datasets = datasets;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.json = json;
        this.bucket = bucket;
        this.prefix = prefix;
        this.processedPrefix = processedPrefix;
        this.failedPrefix = failedPrefix;
        this.defaultDataset = defaultDataset;
        this.retryCount = retryCount;
        this.retryInterval = retryInterval;
        this.mirrorFolders = List.copyOf(mirrorFolders);
    }

    /**
     * Every object under the inbox prefix, page after page. Java rather than the component's listObjects,
     * which answers the first 1,000 keys only: objects that are never filed would hide every one after them.
     */
    public Iterator<S3Object> inboxObjects() {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().iterator();
    }

    /** Whether a key names a file the import reads (by its extension). */
    public static boolean isImportable(String key) {
        return FileFormat.importable(key);
    }

    private static String importableEndings() {
        return String.join(", ", FileFormat.allExtensions()) + " (each perhaps followed by .gz)";
    }

    /** Makes the import job of a listed object, unless one was made for this key and ETag before. */
    public void importObject(S3Object object) {
        if (object.eTag() == null) {
            // still being written (S3Proxy lists an object it is replacing without one): the next listing has it whole
            LOG.debug("Inbox: s3://{}/{} has no ETag yet; it is looked at again next time", bucket, object.key());
            return;
        }
        if (!isImportable(object.key())) {
            fileAsNotImportable(object);
            return;
        }
        String dataset = datasetOf(object.key());
        ObjectNode data = json.createObjectNode()
                .put("s3_bucket", bucket)
                .put("s3_key", object.key())
                .put("service", dataset);
        String folder = object.key().substring(prefix.length());
        if (mirrorFolders.stream().anyMatch(folder::startsWith)) {
            // a file of a mirror folder is its dataset's whole truth (INBOX_MIRROR_FOLDERS)
            data.put("mode", "mirror");
        }
        String idempotencyKey = "inbox:" + bucket + "/" + object.key() + "@" + object.eTag();
        JobStore.Created created = jobs.create(new NewJob("insert_csv_file", data, retryCount, retryInterval, idempotencyKey));
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

    /**
     * Moves an object the import cannot read under the failed prefix, with a {@code .reason.txt} object beside
     * it that says why, so that the inbox holds only what is still to be imported.
     */
    private void fileAsNotImportable(S3Object object) {
        String destination = failedPrefix + object.key().substring(prefix.length());
        String reason = "s3://" + bucket + "/" + object.key() + " is not a file the import reads: its name does not end "
                + "with " + importableEndings() + "\n";
        s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(object.key()).destinationBucket(bucket)
                .destinationKey(destination));
        s3.putObject(put -> put.bucket(bucket).key(destination + ".reason.txt").contentType("text/plain"),
                RequestBody.fromString(reason, StandardCharsets.UTF_8));
        s3.deleteObject(delete -> delete.bucket(bucket).key(object.key()));
        LOG.info("Inbox: s3://{}/{} is not importable; filed as {}", bucket, object.key(), destination);
    }

    /** An object whose filing failed goes back to be filed at the next poll. */
    public void unfile(@Header("InboxJob") String job) {
        jdbc.update(UNFILE, new MapSqlParameterSource("uuid", java.util.UUID.fromString(job)));
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
        if (filename == null || !FILENAME.matcher(filename).matches() || filename.equals(".") || filename.equals("..")
                || !isImportable(filename)) {
            throw ApiError.badRequest("ERR_INVALID_FILENAME: 'filename' must be 1 to 200 letters, digits, '.', '_' or '-' "
                    + "(not '.' or '..') ending with " + importableEndings());
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
