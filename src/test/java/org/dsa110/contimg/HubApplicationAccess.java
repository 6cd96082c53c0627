package org.dsa110.contimg;

import org.apache.camel.main.Main;

/** Test access to the package-private argument handling of {@link HubApplication}. */
public final class HubApplicationAccess {
    private HubApplicationAccess() {
    }

    public static Main createMain(String[] args) {
        return HubApplication.createMain(args);
    }

    public static String[] camelArgs(String[] args) {
        return HubApplication.camelArgs(args);
    }
}
