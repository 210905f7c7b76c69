package dev.dromedary;

import dev.dromedary.launcher.Launcher;

public final class Dromedary {

    private Dromedary() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(new Launcher(System.err).run(args));
    }
}
