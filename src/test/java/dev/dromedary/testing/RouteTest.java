package dev.dromedary.testing;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;

/** A route-level test: shipped route files on a bare Camel context, with the settings they read given by the test. */
public abstract class RouteTest extends CamelTestSupport {

    /** The redelivery policy of routes/redelivery.camel.yaml, made quick: 3 redeliveries after 40 ms, doubling. */
    public static final Map<String, String> QUICK_REDELIVERY = Map.of("MAX_REDELIVERIES", "3", "REDELIVERY_DELAY_MS", "40",
            "MAX_REDELIVERY_DELAY_MS", "1000");

    /** The settings ({@code {{NAME}}}) the route files under test read. */
    protected abstract Map<String, String> settings();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties settings = new Properties();
        settings.putAll(settings());
        context.getPropertiesComponent().setInitialProperties(settings);
        return context;
    }
}
