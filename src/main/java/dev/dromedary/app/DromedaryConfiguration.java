package dev.dromedary.app;

import dev.dromedary.app.wiring.AlertBeans;
import dev.dromedary.app.wiring.ApiBeans;
import dev.dromedary.app.wiring.ExportBeans;
import dev.dromedary.app.wiring.ImportBeans;
import dev.dromedary.app.wiring.JobBeans;
import dev.dromedary.app.wiring.Lifecycle;
import dev.dromedary.app.wiring.ServiceBeans;
import dev.dromedary.app.wiring.Wiring;
import dev.dromedary.embedded.Ports;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Connects to the services named by the settings (starting embedded ones where none is named) and binds
 * the beans that the routes call. Runs once, before the routes are loaded.
 */
public final class DromedaryConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        Path dataDir = Path.of(settings.text("DATA_DIR")).toAbsolutePath().normalize();
        String instanceId = InstanceId.of(settings);

        // routes poll with a timer period in milliseconds, derived from the guide's minutes or the seconds override
        context.getPropertiesComponent().addInitialProperty("TICKER_INTERVAL_MILLIS",
                Long.toString(settings.tickerInterval().toMillis()));
        // a lost run is found within a tenth of a lease of its lease running out, whatever the ticker: its recovery
        // takes the lease and one retry (half a lease added up to 5 s to a 10 s lease in the fault suite)
        context.getPropertiesComponent().addInitialProperty("LEASE_CHECK_MILLIS",
                Long.toString(Math.max(100, settings.integer("LEASE_SECONDS") * 100L)));

        boolean servesHttp = Boolean.parseBoolean(settings.text("camel.server.enabled"));
        if (servesHttp) {
            // the HTTP server reports a port in use only in its log, after the routes have started
            Ports.requireFree(settings.integer("HTTP_PORT"), "HTTP_PORT");
        }
        Ports.requireFree(settings.integer("MANAGEMENT_PORT"), "MANAGEMENT_PORT");
        Services services = Services.connect(settings, dataDir);
        try {
            bindBeans(new Wiring(context, settings, dataDir, instanceId, servesHttp), services);
        } catch (Exception e) {
            // Camel stops nothing that a failed start began, and embedded servers are processes of their own
            services.close();
            throw e;
        }
    }

    /** The beans of each concern, in the order they need each other. */
    private static void bindBeans(Wiring wiring, Services services) throws Exception {
        ServiceBeans connected = ServiceBeans.bind(wiring, services);
        JobBeans jobs = JobBeans.bind(wiring, connected);
        ImportBeans imports = ImportBeans.bind(wiring, connected, jobs);
        ExportBeans exports = ExportBeans.bind(wiring, connected, jobs, imports);
        AlertBeans alerts = AlertBeans.bind(wiring, connected, jobs);
        ApiBeans api = ApiBeans.bind(wiring, connected, jobs, imports, exports, alerts);
        Lifecycle.bind(wiring, connected, jobs, api);
    }
}
