package org.dsa110.contimg.products;

import static org.dsa110.contimg.Beans.bean;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.science.variability.VariabilityMetrics;
import org.dsa110.contimg.store.Db;
import org.dsa110.contimg.core.DataRoots;

/**
 * Wiring of the science data plane's services (image registry, reference catalog, photometry, sources, ESE,
 * regions, external catalogs), built from the {@code hub.catalog.*}, {@code hub.photometry.*}, {@code hub.ese.*}
 * and {@code hub.external.*} properties. Beans are lazy so they can use the hub's shared beans (db,
 * hubSettings, eventBroadcaster) whatever order configuration classes are processed in.
 */
@Configuration
public class ProductsConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.catalog.file", defaultValue = "")
    String catalogFile;
    @PropertyInject(value = "hub.catalog.name", defaultValue = "NVSS")
    String catalogName;
    @PropertyInject(value = "hub.photometry.radius.deg", defaultValue = "0.5")
    double photometryRadiusDeg;
    @PropertyInject(value = "hub.photometry.mosaic.radius.deg", defaultValue = "1.0")
    double mosaicRadiusDeg;
    @PropertyInject(value = "hub.photometry.min.flux.mjy", defaultValue = "10")
    double minFluxMjy;
    @PropertyInject(value = "hub.ese.min.sigma", defaultValue = "5.0")
    double eseMinSigma;
    @PropertyInject(value = "hub.variability.pair.vs.min", defaultValue = "4.3")
    double pairVsMin;
    @PropertyInject(value = "hub.variability.pair.m.min", defaultValue = "0.26")
    double pairMMin;
    @PropertyInject(value = "hub.external.timeout.ms", defaultValue = "3000")
    long externalTimeoutMs;
    @PropertyInject(value = "hub.external.simbad.url", defaultValue = "")
    String simbadUrl;
    @PropertyInject(value = "hub.external.ned.url", defaultValue = "")
    String nedUrl;
    @PropertyInject(value = "hub.external.gaia.url", defaultValue = "")
    String gaiaUrl;
    @PropertyInject(value = "hub.external.breaker.failures", defaultValue = "5")
    int breakerFailures;
    @PropertyInject(value = "hub.external.breaker.open.seconds", defaultValue = "60")
    long breakerOpenSeconds;

    @BindToRegistry(value = "imageRegistry", lazy = true)
    public ImageRegistry imageRegistry(CamelContext context) {
        return new ImageRegistry(bean(context, "db", Db.class), bean(context, "dataRoots", DataRoots.class));
    }

    @BindToRegistry(value = "imageAnalysis", lazy = true)
    public ImageAnalysis imageAnalysis(CamelContext context) {
        return new ImageAnalysis(bean(context, "imageRegistry", ImageRegistry.class));
    }

    @BindToRegistry(value = "referenceCatalog", lazy = true)
    public ReferenceCatalog referenceCatalog(CamelContext context) {
        return new ReferenceCatalog(bean(context, "db", Db.class), catalogName);
    }

    @BindToRegistry(value = "variabilityUpdater", lazy = true)
    public VariabilityUpdater variabilityUpdater(CamelContext context) {
        return new VariabilityUpdater(bean(context, "db", Db.class), eseMinSigma,
                new VariabilityMetrics.PairThresholds(pairVsMin, pairMMin));
    }

    @BindToRegistry(value = "photometryService", lazy = true)
    public PhotometryService photometryService(CamelContext context) {
        return new PhotometryService(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "referenceCatalog", ReferenceCatalog.class),
                bean(context, "variabilityUpdater", VariabilityUpdater.class),
                bean(context, "eventBroadcaster", EventBroadcaster.class),
                new PhotometryService.Settings(photometryRadiusDeg, mosaicRadiusDeg, minFluxMjy));
    }

    @BindToRegistry(value = "sourceCatalog", lazy = true)
    public SourceCatalog sourceCatalog(CamelContext context) {
        return new SourceCatalog(bean(context, "db", Db.class));
    }

    @BindToRegistry(value = "eseCandidates", lazy = true)
    public EseCandidates eseCandidates(CamelContext context) {
        return new EseCandidates(bean(context, "db", Db.class), bean(context, "eventBroadcaster",
                EventBroadcaster.class));
    }

    @BindToRegistry(value = "postageStamps", lazy = true)
    public PostageStamps postageStamps(CamelContext context) {
        HubSettings settings = bean(context, "hubSettings", HubSettings.class);
        return new PostageStamps(bean(context, "db", Db.class), bean(context, "imageAnalysis", ImageAnalysis.class),
                settings.productsDir().resolve("postage_stamps"));
    }

    @BindToRegistry(value = "externalCatalogs", lazy = true)
    public ExternalCatalogs externalCatalogs() {
        return new ExternalCatalogs(ExternalCatalogs.endpoints(simbadUrl, nedUrl, gaiaUrl),
                Duration.ofMillis(externalTimeoutMs), breakerFailures, Duration.ofSeconds(breakerOpenSeconds));
    }

    @BindToRegistry(value = "regions", lazy = true)
    public Regions regions(CamelContext context) {
        return new Regions(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (catalogFile == null || catalogFile.isBlank()) {
            return;
        }
        // Loaded once, at start, when the store has no rows of the catalog yet (an NVSS-sized file takes minutes).
        context.addStartupListener((StartupListener) (ctx, alreadyStarted) ->
                bean(ctx, "referenceCatalog", ReferenceCatalog.class).loadIfEmpty(Path.of(catalogFile.trim())));
    }
}
