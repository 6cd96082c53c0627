package org.dsa110.contimg.publishing;

import static org.dsa110.contimg.Beans.bean;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.core.DataRoots;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.store.Db;

/**
 * Wiring of the data registry, the publisher and the builtin publishing stage ({@code hub.publish.*}; see
 * docs/publishing-transients.md). Beans are lazy so they can use the hub's shared beans.
 */
@Configuration
public class PublishingConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.publish.staging.roots", defaultValue = "")
    String extraStagingRoots;
    @PropertyInject(value = "hub.streaming.output.dir", defaultValue = "")
    String streamingOutputDir;
    @PropertyInject(value = "hub.publish.auto.types",
            defaultValue = "ms,calib_ms,caltable,image,mosaic,catalog,qa,metadata,misc")
    String autoTypes;
    @PropertyInject(value = "hub.publish.qa-required.types", defaultValue = "image,mosaic,calib_ms,caltable")
    String qaTypes;
    @PropertyInject(value = "hub.publish.max-attempts", defaultValue = "3")
    int maxAttempts;

    @BindToRegistry(value = "dataRegistry", lazy = true)
    public DataRegistry dataRegistry(CamelContext context) {
        return new DataRegistry(bean(context, "db", Db.class));
    }

    @BindToRegistry(value = "publisher", lazy = true)
    public Publisher publisher(CamelContext context) {
        HubSettings settings = bean(context, "hubSettings", HubSettings.class);
        List<Path> roots = new ArrayList<>();
        roots.add(settings.stagingDir());
        if (streamingOutputDir != null && !streamingOutputDir.isBlank()) {
            roots.add(Path.of(streamingOutputDir.trim()).toAbsolutePath().normalize());
        }
        roots.addAll(DataRoots.parseList(extraStagingRoots));
        return new Publisher(bean(context, "dataRegistry", DataRegistry.class), new Publisher.Settings(roots,
                settings.productsDir(), types(autoTypes), types(qaTypes), Math.max(1, maxAttempts)));
    }

    @BindToRegistry(value = "builtin.publishing", lazy = true)
    public PublishingStage publishingStage(CamelContext context) {
        return new PublishingStage(bean(context, "dataRegistry", DataRegistry.class),
                bean(context, "publisher", Publisher.class), () -> bean(context, "imageRegistry", ImageRegistry.class));
    }

    static Set<String> types(String csv) {
        Set<String> out = Arrays.stream(csv == null ? new String[0] : csv.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String t : out) {
            if (!DataRegistry.TYPES.contains(t)) {
                throw new IllegalArgumentException("unknown data type '" + t + "' in hub.publish settings; types: "
                        + DataRegistry.TYPES);
            }
        }
        return out;
    }
}
