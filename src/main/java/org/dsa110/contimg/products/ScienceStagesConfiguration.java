package org.dsa110.contimg.products;

import static org.dsa110.contimg.Beans.bean;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.ops.HeavyWork;
import org.dsa110.contimg.science.wcs.Projection;
import org.dsa110.contimg.store.Db;

/**
 * Wiring of the builtin photometry, ese_detection and mosaic stage executors ({@code builtin.<stage>}), the mosaic
 * service and the heavy-work bound shared by cutouts, FITS downloads and mosaic building. See
 * docs/mosaics-photometry.md for the keys.
 */
@Configuration
public class ScienceStagesConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.mosaic.dir", defaultValue = "")
    String mosaicDir;
    @PropertyInject(value = "hub.mosaic.projection", defaultValue = "SIN")
    String projection;
    @PropertyInject(value = "hub.mosaic.group.size", defaultValue = "10")
    int groupSize;
    @PropertyInject(value = "hub.mosaic.group.overlap", defaultValue = "2")
    int overlap;
    @PropertyInject(value = "hub.mosaic.dec.tolerance.deg", defaultValue = "1.0")
    double decToleranceDeg;
    @PropertyInject(value = "hub.mosaic.tier", defaultValue = "quicklook")
    String tier;
    @PropertyInject(value = "hub.heavy.max-concurrent", defaultValue = "2")
    int heavyPermits;
    @PropertyInject(value = "hub.heavy.max-waiting", defaultValue = "8")
    int heavyWaiting;
    @PropertyInject(value = "hub.heavy.wait-timeout-ms", defaultValue = "30000")
    long heavyWaitMs;
    @PropertyInject(value = "hub.heavy.download.buffer-max-mb", defaultValue = "256")
    long bufferMaxMb;
    @PropertyInject(value = "hub.ese.min.sigma", defaultValue = "5.0")
    double eseMinSigma;

    @BindToRegistry(value = "heavyWork", lazy = true)
    public HeavyWork heavyWork() {
        return new HeavyWork(heavyPermits, heavyWaiting, heavyWaitMs, bufferMaxMb << 20);
    }

    @BindToRegistry(value = "mosaics", lazy = true)
    public Mosaics mosaics(CamelContext context) {
        HubSettings settings = bean(context, "hubSettings", HubSettings.class);
        Path dir = mosaicDir == null || mosaicDir.isBlank() ? settings.productsDir().resolve("mosaics")
                : Path.of(mosaicDir.trim()).toAbsolutePath().normalize();
        Projection p;
        try {
            p = Projection.valueOf(projection.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hub.mosaic.projection must be SIN or TAN: " + projection);
        }
        return new Mosaics(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "referenceCatalog", ReferenceCatalog.class), new MosaicBuilder(p),
                bean(context, "heavyWork", HeavyWork.class), dir);
    }

    @BindToRegistry(value = "mosaicPlanner", lazy = true)
    public MosaicPlanner mosaicPlanner(CamelContext context) {
        return new MosaicPlanner(bean(context, "mosaics", Mosaics.class));
    }

    @BindToRegistry(value = "builtin.photometry", lazy = true)
    public PhotometryStage photometryStage(CamelContext context) {
        return new PhotometryStage(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "photometryService", PhotometryService.class));
    }

    @BindToRegistry(value = "builtin.ese_detection", lazy = true)
    public EseDetectionStage eseDetectionStage(CamelContext context) {
        return new EseDetectionStage(bean(context, "db", Db.class),
                bean(context, "variabilityUpdater", VariabilityUpdater.class),
                bean(context, "eventBroadcaster", EventBroadcaster.class), eseMinSigma);
    }

    @BindToRegistry(value = "builtin.mosaic", lazy = true)
    public MosaicStage mosaicStage(CamelContext context) {
        return new MosaicStage(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "mosaics", Mosaics.class), bean(context, "mosaicPlanner", MosaicPlanner.class),
                new MosaicStage.Settings(groupSize, overlap,
                        decToleranceDeg, tier.trim()));
    }
}
