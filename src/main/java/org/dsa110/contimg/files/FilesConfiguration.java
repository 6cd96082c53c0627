package org.dsa110.contimg.files;

import static org.dsa110.contimg.Beans.bean;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;

/**
 * Wiring of the file views the operators' dashboard uses (browsing, FITS summaries, thumbnails): the earlier
 * deployment's directory aliases ({@code hub.compat.legacy-roots}) and the thumbnail settings.
 */
@Configuration
public class FilesConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.compat.legacy-roots", defaultValue = "")
    String legacyRoots;
    @PropertyInject(value = "hub.files.thumbnail.size", defaultValue = "256")
    int thumbnailSize;
    @PropertyInject(value = "hub.files.thumbnail.max-files", defaultValue = "64")
    int thumbnailMaxFiles;
    @PropertyInject(value = "hub.files.browse.max-entries", defaultValue = "5000")
    int browseMaxEntries;

    @BindToRegistry(value = "legacyRoots", lazy = true)
    public LegacyRoots legacyRoots(CamelContext context) {
        return LegacyRoots.parse(legacyRoots, bean(context, "hubSettings", HubSettings.class));
    }

    @BindToRegistry(value = "fileBrowser", lazy = true)
    public FileBrowser fileBrowser() {
        return new FileBrowser(browseMaxEntries);
    }

    @BindToRegistry(value = "thumbnails", lazy = true)
    public Thumbnails thumbnails() {
        return new Thumbnails(thumbnailSize, thumbnailMaxFiles);
    }

    @Override
    public void configure(CamelContext context) {
        // beans only
    }
}
