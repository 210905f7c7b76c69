package dev.dromedary.jobs;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The job types this instance can run: one for every route that consumes from {@code direct:job-<type>}.
 * Adding a job type is adding such a route; the list follows routes as they are loaded and reloaded.
 */
public final class JobTypes {

    private static final Pattern JOB_TYPE = Pattern.compile("[a-z0-9_]+");
    private static final Pattern JOB_ROUTE = Pattern.compile("direct://job-(" + JOB_TYPE.pattern() + ")");
    /** direct:job-event is where job events go (routes/job-events.camel.yaml), not a job type. */
    private static final String NOT_A_JOB_TYPE = "event";

    private final CamelContext context;

    public JobTypes(CamelContext context) {
        this.context = context;
    }

    public List<String> names() {
        return context.getRoutes().stream()
                .map(Route::getEndpoint)
                .map(endpoint -> JOB_ROUTE.matcher(endpoint.getEndpointUri()))
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .filter(name -> !name.equals(NOT_A_JOB_TYPE))
                .sorted()
                .toList();
    }

    /** Asked for every job a request creates: compares each route's endpoint with the one name, no list built. */
    public boolean exists(String jobType) {
        if (jobType.equals(NOT_A_JOB_TYPE) || !JOB_TYPE.matcher(jobType).matches()) {
            return false;
        }
        String endpoint = "direct://job-" + jobType;
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().equals(endpoint)) {
                return true;
            }
        }
        return false;
    }

    /** The job_data fields the route file of {@code jobType} declares; empty when it declares none (any field is taken). */
    public java.util.Optional<JobDataFields> fields(String jobType) {
        return context.getRegistry().findByType(JobDataFields.class).stream()
                .filter(declared -> jobType.equals(declared.getJobType())).findFirst();
    }
}
