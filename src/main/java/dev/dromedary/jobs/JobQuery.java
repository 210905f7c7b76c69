package dev.dromedary.jobs;

import java.util.Set;

/**
 * Which jobs to list, newest first: of one type (or any, when null), in any of the statuses (or all, when
 * empty), about one S3 key (or any, when null).
 */
public record JobQuery(String jobType, Set<JobStatus> statuses, String s3Key, int limit) {
}
