package dev.dromedary.app.wiring;

import dev.dromedary.api.RequestGuard;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobAnnouncements;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.JobTypes;
import dev.dromedary.schedules.Schedule;
import dev.dromedary.schedules.Schedules;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import java.sql.DriverManager;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens as the context starts and stops: the HTTP guards, the routes made from templates (a route per
 * schedule, a claimer and workers per queue), the NOTIFY listener that wakes the claimers, and the hand-back of
 * this instance's jobs when it stops.
 */
public final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private Lifecycle() {
    }

    public static void bind(Wiring wiring, ServiceBeans services, JobBeans jobs, ApiBeans api) throws Exception {
        CamelContext context = wiring.context();
        boolean firstTime = wiring.settings().bool("FIRST_TIME_RUNNER_ENABLED");
        boolean retries = wiring.settings().bool("RETRY_RUNNER_ENABLED");
        int serverPort = wiring.settings().integer("HTTP_PORT");
        int managementPort = wiring.settings().integer("MANAGEMENT_PORT");
        DatabaseUrl databaseUrl = services.services().database();
        JobStore jobStore = jobs.jobStore();
        JobQueues queues = jobs.queues();
        JobAnnouncements[] announcements = {null};
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                if (api.requestGuard() != null) {
                    VertxPlatformHttpRouter routes = router(started, serverPort);
                    api.requestGuard().guard(routes, topRouter(routes));
                }
                RequestGuard.guardHealth(router(started, managementPort), api.apiKeys());
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                addScheduleRoutes(started, jobs.schedules(), jobs.jobTypes(), queues);
                if (firstTime) {
                    addQueueRoutes(started, queues);
                }
                if (firstTime || retries) {
                    ProducerTemplate announce = started.createProducerTemplate();
                    announcements[0] = new JobAnnouncements(
                            () -> DriverManager.getConnection(databaseUrl.jdbcUrl(), databaseUrl.user(), databaseUrl.password()),
                            queue -> {
                                if (firstTime) {
                                    announce.sendBody("direct:jobs-announced", queue);
                                }
                            },
                            jobStore::retryDueAt,
                            () -> {
                                if (firstTime) {
                                    queues.runHere().forEach(queue -> announce.sendBody("direct:jobs-announced", queue));
                                }
                            });
                    announcements[0].start();
                }
            }
        });

        handBackQueuedJobs(jobStore, "left by an earlier run of");
        // as soon as the context begins to stop, before its routes do: running imports stop at their next
        // checkpoint, and Quartz fires nothing more here (a fire time it took would meet a stopped route and be
        // lost; in standby it gives the fire times it took back for the other instances)
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    jobs.jobExecution().stop();
                    if (announcements[0] != null) {
                        announcements[0].close();
                    }
                    if (jobs.clusteredScheduler() != null) {
                        jobs.clusteredScheduler().standby();
                    }
                }
            }
        });
        // added after the pool, so stopped before it: after the routes stop (or the grace period ran out),
        // queued jobs and jobs still running go back for others to take
        wiring.stopWithContext("hand back of jobs", () -> {
            jobs.instanceHeartbeat().leave();
            handBackQueuedJobs(jobStore, "not started by");
            for (Job running : jobStore.runningHere()) {
                jobs.jobExecution().handBack(running, "Handed back unfinished as instance " + jobStore.owner()
                        + " stopped before the job ended (SHUTDOWN_GRACE_SECONDS); it goes on from its checkpoint, or starts again");
            }
        });
    }

    /** A route per schedule, from the templates of routes/schedules.camel.yaml, once the job routes are loaded. */
    private static void addScheduleRoutes(CamelContext context, Schedules schedules, JobTypes jobTypes,
                                          JobQueues queues) throws Exception {
        List<String> unknown = schedules.unknownJobTypes(jobTypes.names());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("SCHEDULES_FILE names job types that no route runs: " + unknown
                    + "; the job types are " + jobTypes.names());
        }
        List<String> unknownQueues = schedules.unknownQueues(queues);
        if (!unknownQueues.isEmpty()) {
            throw new IllegalArgumentException("SCHEDULES_FILE names queues that QUEUES does not define: " + unknownQueues
                    + "; the queues are " + queues.names());
        }
        for (Schedule schedule : schedules.recurring()) {
            TemplatedRouteBuilder.builder(context, "recurring-schedule").routeId("schedule-" + schedule.name())
                    .parameters(Schedules.templateParameters(schedule)).add();
        }
        for (Schedule schedule : schedules.oneOffs()) {
            TemplatedRouteBuilder.builder(context, "one-off-schedule").routeId("schedule-" + schedule.name())
                    .parameters(Schedules.templateParameters(schedule)).add();
        }
    }

    /** A claimer and the workers per queue this instance runs, from the templates of routes/job-runner.camel.yaml. */
    private static void addQueueRoutes(CamelContext context, JobQueues queues) throws Exception {
        for (String queue : queues.runHere()) {
            TemplatedRouteBuilder.builder(context, "queue-claimer").routeId("claim-" + queue)
                    .parameter("queue", queue).add();
            TemplatedRouteBuilder.builder(context, "queue-workers").routeId("workers-" + queue)
                    .parameter("queue", queue).parameter("workers", queues.workers(queue)).add();
        }
    }

    private static VertxPlatformHttpRouter router(CamelContext context, int port) {
        VertxPlatformHttpRouter router = context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.getRouterNameFromPort(port), VertxPlatformHttpRouter.class);
        if (router == null) {
            throw new IllegalStateException("no HTTP server runs on port " + port);
        }
        return router;
    }

    // Camel 4.17 mounts the routes' router under a top router that it keeps private, and Vert.x answers a path
    // or method no route matched (404, 405) from the top router's error handlers
    private static Router topRouter(VertxPlatformHttpRouter routes) {
        try {
            Field top = VertxPlatformHttpServer.class.getDeclaredField("router");
            top.setAccessible(true);
            return (Router) top.get(routes.getServer());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Camel keeps its HTTP server's router elsewhere", e);
        }
    }

    private static void handBackQueuedJobs(JobStore jobStore, String which) {
        int handedBack = jobStore.handBackQueued();
        if (handedBack > 0) {
            LOG.info("Handed back {} queued jobs {} instance {}", handedBack, which, jobStore.owner());
        }
    }
}
