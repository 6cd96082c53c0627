package org.dsa110.contimg.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a hub makes before it builds anything, and the way it refuses to start: one log line and exit status
 * {@value #EXIT_STATUS} when run as the application ({@code exitOnRefusal}), an exception when a test starts the hub
 * in its own JVM. Before the configuration is read: with the embedded database, the data directory must not be in
 * use by another hub ({@link DataDirectoryLock}). The cluster check that needs the store ({@link #refuse}) uses the
 * same exit.
 */
public final class StartupChecks extends MainListenerSupport {
    public static final int EXIT_STATUS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);
    private static volatile boolean exitOnRefusal;

    private DataDirectoryLock lock;

    public StartupChecks(boolean exitOnRefusal) {
        StartupChecks.exitOnRefusal = exitOnRefusal;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        String url = pc.resolveProperty("hub.db.url").map(String::trim).orElse("");
        if (!url.isEmpty() && !url.startsWith("jdbc:h2:")) {
            return; // hubs on a shared database share the data directory by design (checked once the store is open)
        }
        Path dataDir = Path.of(pc.resolveProperty("hub.data.dir").orElse("var")).toAbsolutePath().normalize();
        try {
            lock = DataDirectoryLock.acquire(dataDir);
            // released when the context stops (a hub restarted in the same JVM takes it again)
            main.getCamelContext().addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
                @Override
                public void onContextStopped(org.apache.camel.CamelContext context) {
                    release();
                }
            });
        } catch (DataDirectoryLock.InUse e) {
            refuse(e.getMessage());
        } catch (IOException e) {
            refuse("cannot lock data directory " + dataDir + ": " + e.getMessage());
        }
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        release();
    }

    private synchronized void release() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lock = null;
        }
    }

    /** The hub does not start: one line, then exit (the application) or an exception (a hub inside a test). */
    public static void refuse(String message) {
        if (exitOnRefusal) {
            LOG.error("contimg-hub cannot start: {}", message);
            System.err.flush();
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_STATUS); // nothing has started that needs stopping
        }
        throw new IllegalStateException(message);
    }
}
