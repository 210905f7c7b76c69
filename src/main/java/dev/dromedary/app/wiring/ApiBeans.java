package dev.dromedary.app.wiring;

import dev.dromedary.api.AlertViews;
import dev.dromedary.api.ApiKeys;
import dev.dromedary.api.InstanceView;
import dev.dromedary.api.JobRequests;
import dev.dromedary.api.WatchViews;
import dev.dromedary.api.JobResponses;
import dev.dromedary.api.OpenApiDocument;
import dev.dromedary.api.RequestGuard;
import dev.dromedary.api.StatusView;
import dev.dromedary.app.Settings;
import dev.dromedary.events.JobEventFeed;
import dev.dromedary.jobs.AllowedUrls;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the keys it takes, what reads requests and writes answers, the event feed and webhooks, the
 * status and instance views; {@code requestGuard} is null where this instance serves no HTTP.
 */
public record ApiBeans(ApiKeys apiKeys, RequestGuard requestGuard) {

    private static final Logger LOG = LoggerFactory.getLogger(ApiBeans.class);

    public static ApiBeans bind(Wiring wiring, ServiceBeans services, JobBeans jobs, ImportBeans imports, ExportBeans exports,
                                AlertBeans alerts)
            throws Exception {
        Settings settings = wiring.settings();
        AllowedUrls notifyUrls = new AllowedUrls("JOB_WEBHOOK_ALLOWED", settings.list("JOB_WEBHOOK_ALLOWED"));
        JobEventFeed jobEvents = wiring.bind("jobEvents", new JobEventFeed(services.dataSource(), notifyUrls,
                settings.text("JOB_WEBHOOK_SECRET"), settings.bool("JOB_EVENT_HOOKS") || !settings.text("JOB_WEBHOOK_URL").isEmpty()));
        wiring.bind("jobRequests", new JobRequests(jobs.jobTypes(), settings.integer("API_MAX_BODY_BYTES"),
                settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"), imports.buckets(), jobs.queues(), notifyUrls,
                imports.sourceChecks(), services.datasets(), exports.aggregation()));
        wiring.bind("jobResponses", new JobResponses(jobs.jobStore(), jobEvents));
        wiring.bind("openApiDocument", OpenApiDocument.renderer(wiring.context()));
        wiring.bind("statusView", new StatusView(services.dataSource(), jobs.jobStore(), settings.integer("LEASE_SECONDS")));
        wiring.bind("watchViews", new WatchViews(services.dataSource()));
        wiring.bind("alertViews", new AlertViews(services.dataSource(), alerts.evaluator().rules()));
        wiring.bind("instanceView", new InstanceView(wiring.instanceId(), settings.bool("FIRST_TIME_RUNNER_ENABLED"),
                settings.bool("RETRY_RUNNER_ENABLED"), settings.bool("INBOX_ENABLED") ? settings.text("INBOX_PREFIX") : null,
                jobs.schedules().names()));

        ApiKeys apiKeys = wiring.servesHttp() || !settings.list("API_KEYS").isEmpty()
                ? new ApiKeys(apiKeys(settings, wiring.dataDir())) : null;
        RequestGuard requestGuard = null;
        if (wiring.servesHttp()) {
            wiring.bind("apiKeys", apiKeys);
            requestGuard = new RequestGuard(apiKeys, settings.integer("API_MAX_BODY_BYTES"));
            // Camel 4.17 guesses the REST routes' server by port, and guesses 8080 when a management server runs too
            int httpPort = settings.integer("HTTP_PORT");
            wiring.context().getComponent("platform-http", PlatformHttpComponent.class).setEngine(new VertxPlatformHttpEngine() {
                @Override
                public int getServerPort() {
                    return httpPort;
                }
            });
        }
        return new ApiBeans(apiKeys, requestGuard);
    }

    private static List<String> apiKeys(Settings settings, Path dataDir) throws Exception {
        List<String> configured = settings.list("API_KEYS");
        if (!configured.isEmpty()) {
            return configured;
        }
        GeneratedApiKey generated = GeneratedApiKey.readOrCreate(dataDir);
        if (generated.made()) {
            // once, on the terminal, never into a log file
            System.out.println("API_KEYS is not set; made up this API key, kept in " + dataDir.resolve("api-key") + ": "
                    + generated.key());
        } else {
            LOG.info("API_KEYS is not set; using the API key kept in {}", dataDir.resolve("api-key"));
        }
        return List.of(generated.key());
    }
}
