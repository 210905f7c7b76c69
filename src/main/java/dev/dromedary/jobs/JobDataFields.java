package dev.dromedary.jobs;

import dev.dromedary.app.Nearest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fields a job type's {@code job_data} may hold, declared by its route file as a bean (a route file that adds a
 * job type declares them beside its route): the API answers any other field with ERR_UNKNOWN_FIELD, naming the
 * nearest known one, rather than run the job without what the caller thought it gave. {@code notify_url} is every
 * job type's; {@code *} accepts any field.
 */
public final class JobDataFields {

    private String jobType;
    private List<String> fields = List.of();

    public String getJobType() {
        return jobType;
    }

    public void setJobType(String jobType) {
        this.jobType = jobType;
    }

    public List<String> getFields() {
        return fields;
    }

    /** The fields, comma-separated. */
    public void setFields(String fields) {
        this.fields = Arrays.stream(fields.split(",")).map(String::strip).filter(field -> !field.isEmpty()).sorted().toList();
    }

    /** Why {@code names} holds a field the job type does not read; null when every one is its own. */
    public String refusal(Iterable<String> names) {
        if (fields.contains("*")) {
            return null;
        }
        for (String name : names) {
            if (!name.equals("notify_url") && !fields.contains(name)) {
                String nearest = Nearest.of(name, fields, field -> field.toLowerCase(Locale.ROOT));
                String shown = name.length() > 100 ? name.substring(0, 100) + "…" : name;
                return "ERR_UNKNOWN_FIELD: job_data." + shown + " is not a field of " + jobType
                        + (nearest == null ? "" : "; did you mean " + nearest + "?") + " Its fields are " + String.join(", ", fields)
                        + " and notify_url";
            }
        }
        return null;
    }
}
