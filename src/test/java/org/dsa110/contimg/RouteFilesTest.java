package org.dsa110.contimg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged route files are listed by name in the defaults; the list names exactly the files of routes/. */
class RouteFilesTest {
    @Test
    void everyRouteFileIsListed() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/config/application.properties")) {
            p.load(in);
        }
        Set<String> listed = Arrays.stream(p.getProperty("camel.main.routesIncludePattern").split(","))
                .map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> "classpath:routes/" + n).collect(Collectors.toCollection(TreeSet::new));
        }
        assertFalse(files.isEmpty());
        assertEquals(files, listed);
    }
}
