package dev.dromedary.api;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.openapi.RestOpenApiProcessor;

/**
 * The OpenAPI 3 document of the API, made by camel-openapi-java from the REST DSL of routes/*-api.camel.yaml
 * (with the bodies of {@link ApiSchemas}) when the routes start.
 */
public final class OpenApiDocument {

    /** The version of the HTTP API that the document describes. */
    public static final String API_VERSION = "1.0";

    private OpenApiDocument() {
    }

    /**
     * camel-openapi-java's renderer, for routes/common-api.camel.yaml to call at /common/openapi.json: at the REST DSL's
     * own api path the document would be served without the route configuration that asks for the key.
     */
    public static RestOpenApiProcessor renderer(CamelContext context) {
        RestOpenApiProcessor renderer = new RestOpenApiProcessor(Map.of(
                "api.title", "Dromedary jobs API",
                "api.version", API_VERSION,
                "api.description", "Jobs that land files and feeds in PostgreSQL and Elasticsearch and export them to S3. "
                        + "Every request needs an X-API-Key header. Every refusal is {\"error\": \"ERR_…: what to do\", "
                        + "\"success\": false}; besides those of each operation, any request may get 404 ERR_NOT_FOUND (no such "
                        + "path), 405 ERR_METHOD_NOT_ALLOWED (a path without that method) or 500 ERR_INTERNAL (the server log says why).",
                "api.default.consumes", "application/json",
                "api.default.produces", "application/json"), context.getRestConfiguration());
        renderer.setCamelContext(context);
        return renderer;
    }
}
