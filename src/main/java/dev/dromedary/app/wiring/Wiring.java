package dev.dromedary.app.wiring;

import dev.dromedary.app.Settings;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What every wiring class works with: the context whose registry it binds beans in, the settings it names where
 * it makes a bean, and the instance it runs in.
 */
public record Wiring(CamelContext context, Settings settings, Path dataDir, String instanceId, boolean servesHttp) {

    public Registry registry() {
        return context.getRegistry();
    }

    /** Binds a bean for the routes to call by {@code name}, and returns it. */
    public <T> T bind(String name, T bean) {
        context.getRegistry().bind(name, bean);
        return bean;
    }

    /** Something to close when the context stops. */
    public interface Closer {
        void close() throws Exception;
    }

    /** Camel stops the services it holds after the routes, the last added first. */
    public void stopWithContext(String name, Closer closer) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closer.close();
            }

            @Override
            public String toString() {
                return name;
            }
        }, true, true);
    }
}
