package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's directory of route files replaces the packaged ones; properties override defaults. */
class RoutesDirTest {

    @Test
    void hubLoadsRoutesFromTheConfiguredDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("custom.camel.yaml"), """
                - route:
                    id: operator-custom
                    from:
                      uri: timer:operator-custom
                      parameters:
                        repeatCount: 1
                      steps:
                        - log: "custom route ran"
                """);
        System.setProperty("hub.routes.dir", dir.toString());
        try (TestHub hub = TestHub.start(Map.of("hub.version", "9.9.9-test"))) {
            assertNotNull(hub.context().getRoute("operator-custom"), "route from the directory is loaded");
            assertNull(hub.context().getRoute("live-status"), "packaged routes are replaced");
            assertEquals("9.9.9-test", Json.MAPPER.readTree(hub.get("/api/health").body())
                    .path("version").asText());
        } finally {
            System.clearProperty("hub.routes.dir");
        }
    }
}
