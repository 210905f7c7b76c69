package dev.dromedary.watch;

import java.util.List;
import java.util.Map;

/** Where a watch_url run stands: its page's fetch, what it selected, and how that differs from the newest snapshot. */
public final class WatchRun {

    final WatchJob job;
    final Map<?, ?> data;
    final java.util.UUID jobUuid;
    final Map<String, String> headers;
    final WatchSnapshots.Snapshot previous;
    String url;
    int redirects;
    int waits;
    boolean fetching = true;
    boolean notModified;
    byte[] body;
    String contentType;
    String etag;
    String lastModified;
    List<String> lines;
    String hash;
    TextDiff diff;
    /** rows mode: the rows the page holds */
    List<List<String>> rows;
    List<com.fasterxml.jackson.databind.JsonNode> records;

    WatchRun(WatchJob job, Map<?, ?> data, java.util.UUID jobUuid, Map<String, String> headers, WatchSnapshots.Snapshot previous) {
        this.job = job;
        this.data = data;
        this.jobUuid = jobUuid;
        this.headers = headers;
        this.previous = previous;
        this.url = job.url();
    }

    /** The headers the page's request sends: the job's, the User-Agent, and the newest snapshot's validators. */
    Map<String, String> requestHeaders() {
        Map<String, String> sent = new java.util.LinkedHashMap<>(headers);
        if (previous != null && previous.etag() != null) {
            sent.put("If-None-Match", previous.etag());
        }
        if (previous != null && previous.lastModified() != null) {
            sent.put("If-Modified-Since", previous.lastModified());
        }
        return sent;
    }

    /** The URL asked for now: the job's, or where a redirect led. */
    public String getUrl() {
        return url;
    }

    /** Whether the page is still to be asked for (a redirect followed, a 429 waited out). */
    public boolean isFetching() {
        return fetching;
    }

    /** Whether the run lands the page's rows in a dataset: rows mode, and a page that was sent (not a 304). */
    public boolean isLandingRows() {
        return job.rows() != null && !notModified;
    }

    boolean changed() {
        return previous != null && hash != null && !hash.equals(previous.hash());
    }
}
