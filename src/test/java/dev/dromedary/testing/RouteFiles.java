package dev.dromedary.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** The shipped route files of {@code routes/}, loaded into a test's CamelContext as the application loads them. */
public final class RouteFiles {

    private RouteFiles() {
    }

    public static List<RoutesBuilder> load(CamelContext context, String... files) throws Exception {
        List<Resource> resources = Arrays.stream(files)
                .map(file -> ResourceHelper.resolveResource(context, "file:routes/" + file)).toList();
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources);
        return new ArrayList<>(builders);
    }
}
