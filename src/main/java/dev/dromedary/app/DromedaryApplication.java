package dev.dromedary.app;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * One Dromedary process: camel-main with the settings of {@code application.properties}, the routes of
 * {@code ROUTES_DIR} and the beans of {@link DromedaryConfiguration}.
 */
public final class DromedaryApplication implements AutoCloseable {

    private final Main main = new Main();

    /**
     * {@code overrides} win over the environment, which wins over {@code application.properties}: the settings a
     * command sets for its own services (the bench's ports, a runner's role) are never undone by a variable a
     * user happens to have set.
     */
    public DromedaryApplication(Map<String, String> overrides) {
        main.setPropertyPlaceholderLocations("file:application.properties");
        // Camel's OVERRIDE mode would look at the environment before the override properties: the environment is
        // taken as override properties itself, beneath the command's, and looked at again only as a fallback
        System.getenv().forEach((name, value) -> {
            if (!overrides.containsKey(name)) {
                main.addOverrideProperty(name, value);
            }
        });
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                ((PropertiesComponent) support.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            }
        });
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
