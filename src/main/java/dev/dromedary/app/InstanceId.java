package dev.dromedary.app;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who this process is, as written into {@code jobs.claimed_by}: {@code INSTANCE_ID}, or host and pid. */
final class InstanceId {

    private InstanceId() {
    }

    static String of(Settings settings) {
        String configured = settings.text("INSTANCE_ID");
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
