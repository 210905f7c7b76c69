package dev.dromedary.watch;

/** A watch_url job's data that cannot run: its message starts with the ERR_ code the API answers. */
public final class WatchRefused extends IllegalArgumentException {

    public WatchRefused(String code, String message) {
        super(code + ": " + message);
    }
}
