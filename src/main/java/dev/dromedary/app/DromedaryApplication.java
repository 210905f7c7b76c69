package dev.dromedary.app;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * One Dromedary process: camel-main with the settings of {@code application.properties}, the routes of
 * {@code ROUTES_DIR} and the beans of {@link DromedaryConfiguration}.
 */
public final class DromedaryApplication implements AutoCloseable {

    private final Main main = new Main();

    /** {@code overrides} win over {@code application.properties} and the environment. */
    public DromedaryApplication(Map<String, String> overrides) {
        main.setPropertyPlaceholderLocations("file:application.properties");
        overrides.forEach(main::addOverrideProperty);
        main.configure().addConfiguration(new DromedaryConfiguration());
    }

    /** Adds a bean for the routes to call, before the application starts. */
    public DromedaryApplication bind(String name, Object bean) {
        main.bind(name, bean);
        return this;
    }

    /** Starts and returns once the routes run. */
    public DromedaryApplication start() throws Exception {
        main.start();
        return this;
    }

    /** Starts and blocks until the process is told to stop (SIGTERM or Ctrl-C). */
    public void run() throws Exception {
        main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
