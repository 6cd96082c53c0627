package org.dsa110.contimg;

import org.apache.camel.main.Main;

/** Entry point: starts the hub (Camel Main). All wiring lives in {@link HubConfiguration}. */
public final class HubApplication {
    private HubApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main(HubApplication.class).run(args);
    }
}
