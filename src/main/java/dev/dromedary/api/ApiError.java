package dev.dromedary.api;

/** A request the API refuses, with the HTTP status and the error text ({@code ERR_…: reason}) it answers with. */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String error) {
        super(error, null, false, false);
        this.status = status;
    }

    public static ApiError badRequest(String error) {
        return new ApiError(400, error);
    }

    public static ApiError unauthorized(String error) {
        return new ApiError(401, error);
    }

    public static ApiError notFound(String error) {
        return new ApiError(404, error);
    }

    public static ApiError conflict(String error) {
        return new ApiError(409, error);
    }

    public int getStatus() {
        return status;
    }
}
