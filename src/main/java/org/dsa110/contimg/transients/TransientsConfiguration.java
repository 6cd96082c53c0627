package org.dsa110.contimg.transients;

import static org.dsa110.contimg.Beans.bean;

import java.util.Locale;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.ops.EventBroadcaster;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.transients.SourceFinder;
import org.dsa110.contimg.science.transients.TransientClassifier;
import org.dsa110.contimg.store.Db;

/** Wiring of the transient search ({@code hub.transients.*}), its store and the builtin transient_search stage. */
@Configuration
public class TransientsConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.transients.detection-sigma", defaultValue = "5.0")
    double detectionSigma;
    @PropertyInject(value = "hub.transients.grow-sigma", defaultValue = "3.0")
    double growSigma;
    @PropertyInject(value = "hub.transients.max-islands", defaultValue = "1000")
    int maxIslands;
    @PropertyInject(value = "hub.transients.match-radius-arcsec", defaultValue = "10.0")
    double matchRadiusArcsec;
    @PropertyInject(value = "hub.transients.alert.min-level", defaultValue = "MEDIUM")
    String minLevel;

    @BindToRegistry(value = "transientStore", lazy = true)
    public TransientStore transientStore(CamelContext context) {
        return new TransientStore(bean(context, "db", Db.class));
    }

    @BindToRegistry(value = "transientSearch", lazy = true)
    public TransientSearch transientSearch(CamelContext context) {
        TransientSearch.Settings settings = new TransientSearch.Settings(
                new SourceFinder.Parameters(detectionSigma, growSigma, maxIslands), matchRadiusArcsec,
                TransientClassifier.AlertLevel.valueOf(minLevel.trim().toUpperCase(Locale.ROOT)));
        return new TransientSearch(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "referenceCatalog", ReferenceCatalog.class),
                bean(context, "eventBroadcaster", EventBroadcaster.class), settings);
    }

    @BindToRegistry(value = "builtin.transient_search", lazy = true)
    public TransientSearchStage transientSearchStage(CamelContext context) {
        return new TransientSearchStage(bean(context, "transientSearch", TransientSearch.class),
                bean(context, "imageRegistry", ImageRegistry.class), bean(context, "db", Db.class));
    }
}
