package dev.dromedary.api;

/** The {@code limit} query parameter of a listing: a whole number from 1 to its maximum, or the default when absent. */
final class QueryLimit {

    private QueryLimit() {
    }

    /** {@code limit} read; ERR_INVALID_LIMIT for anything but a whole number from 1 to {@code max}. */
    static int of(String limit, int otherwise, int max) {
        if (limit == null) {
            return otherwise;
        }
        int rows;
        try {
            rows = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            rows = -1;
        }
        if (rows < 1 || rows > max) {
            throw ApiError.badRequest("ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to " + max);
        }
        return rows;
    }
}
