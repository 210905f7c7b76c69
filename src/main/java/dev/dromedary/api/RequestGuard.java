package dev.dromedary.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the HTTP server checks before it reads a request's body: the API key of an API request (a body of
 * a request without one is never read), and its declared length against API_MAX_BODY_BYTES; the headers
 * every dashboard page carries, and X-Content-Type-Options on every answer. A Vert.x handler, not a Camel route: the server reads the whole
 * body before any route runs.
 */
public final class RequestGuard implements Handler<RoutingContext> {

    /** Before the server's own handlers, the body reader among them. */
    static final int ORDER = -1_000_000;
    private static final String NO_SNIFF = "X-Content-Type-Options";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiKeys keys;
    private final long maxBodyBytes;

    public RequestGuard(ApiKeys keys, long maxBodyBytes) {
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Puts the guard in front of every route of the router, and answers with the API's error body a body cut
     * off at the limit, and (on the server's {@code top} router, which Vert.x asks when no route matched) a path
     * no route serves and a method the path does not take.
     */
    public void guard(Router router, Router top) {
        router.route().order(ORDER).handler(this).failureHandler(context -> {
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                refuse(context, 413, tooLarge());
            } else {
                context.next();
            }
        });
        top.errorHandler(404, context -> answer(context, 404, "ERR_NOT_FOUND: no resource at "
                + context.request().method() + " " + context.normalizedPath() + "; the API is under /common/", false));
        top.errorHandler(405, context -> answer(context, 405, "ERR_METHOD_NOT_ALLOWED: "
                + context.normalizedPath() + " does not take " + context.request().method(), false));
    }

    /**
     * Puts a guard in front of the management server's health answers: anyone sees the status (for load
     * balancers and probes), but what each check says (versions, errors) needs an API key; {@code keys}
     * is null where the process has none, and then nobody sees the details.
     */
    public static void guardHealth(Router management, ApiKeys keys) {
        management.route().order(ORDER).handler(context -> {
            context.response().putHeader(NO_SNIFF, "nosniff");
            String level = context.request().getParam("exposureLevel");
            if (level != null && !level.equals("oneline")) {
                String refusal = keys == null ? "ERR_UNAUTHORIZED: the health checks' details need an API key, and this "
                        + "process has none (API_KEYS)" : keys.refusal(context.request().getHeader(ApiKeys.HEADER));
                if (refusal != null) {
                    refuse(context, 401, refusal);
                    return;
                }
            }
            context.next();
        });
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = context.normalizedPath();
        // every answer is what its Content-Type says, never a script or a page a browser guessed
        context.response().putHeader(NO_SNIFF, "nosniff");
        if (path.startsWith("/dashboard")) {
            context.response()
                    .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer");
            context.next();
            return;
        }
        if (!path.startsWith("/common/")) {
            context.next();
            return;
        }
        String refusal = keys.refusal(request.getHeader(ApiKeys.HEADER));
        if (refusal != null) {
            refuse(context, 401, refusal);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBodyBytes) {
            refuse(context, 413, tooLarge());
            return;
        }
        context.next();
    }

    private String tooLarge() {
        return "ERR_BODY_TOO_LARGE: the request body is larger than the limit of " + maxBodyBytes + " bytes";
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void refuse(RoutingContext context, int status, String error) {
        // the body is not read: the connection closes after the answer
        answer(context, status, error, true);
    }

    private static void answer(RoutingContext context, int status, String error, boolean close) {
        if (context.response().headWritten()) {
            return;
        }
        String text;
        try {
            text = JSON.writeValueAsString(JobResponses.errorBody(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(NO_SNIFF, "nosniff");
        if (close) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        context.response().end(text);
    }
}
