package org.dsa110.contimg.qa;

import static org.dsa110.contimg.Beans.bean;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.HubSettings;
import org.dsa110.contimg.monitoring.HubCache;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.store.Db;

/** Wiring of the QA services from the {@code hub.qa.*} properties (docs/qa.md). Beans are lazy. */
@Configuration
public class QaConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.qa.image.dr.excellent", defaultValue = "1000")
    double drExcellent;
    @PropertyInject(value = "hub.qa.image.dr.good", defaultValue = "100")
    double drGood;
    @PropertyInject(value = "hub.qa.image.dr.marginal", defaultValue = "10")
    double drMarginal;
    @PropertyInject(value = "hub.qa.detection.sigma", defaultValue = "5")
    double detectionSigma;
    @PropertyInject(value = "hub.qa.validation.match-radius.arcsec", defaultValue = "10")
    double matchRadiusArcsec;
    @PropertyInject(value = "hub.qa.validation.completeness.min", defaultValue = "0.95")
    double completenessMin;
    @PropertyInject(value = "hub.qa.validation.flux.fail", defaultValue = "0.2")
    double fluxFail;
    @PropertyInject(value = "hub.qa.validation.flux.warn", defaultValue = "0.1")
    double fluxWarn;
    @PropertyInject(value = "hub.qa.validation.flux.scatter.warn", defaultValue = "0.3")
    double fluxScatterWarn;
    @PropertyInject(value = "hub.qa.validation.astrometry.warn.arcsec", defaultValue = "5")
    double astrometryWarnArcsec;
    @PropertyInject(value = "hub.qa.preview.max-px", defaultValue = "512")
    int previewMaxPx;
    @PropertyInject(value = "hub.qa.preview.stretch", defaultValue = "asinh")
    String previewStretch;
    @PropertyInject(value = "hub.qa.calibration.high-flag.fraction", defaultValue = "0.5")
    double highFlagFraction;
    @PropertyInject(value = "hub.qa.calibration.problematic.fraction", defaultValue = "0.2")
    double problematicFraction;

    @BindToRegistry(value = "qaSettings", lazy = true)
    public QaSettings qaSettings() {
        return new QaSettings(drExcellent, drGood, drMarginal, detectionSigma, matchRadiusArcsec, completenessMin,
                fluxFail, fluxWarn, fluxScatterWarn, astrometryWarnArcsec, previewMaxPx, previewStretch.trim());
    }

    @BindToRegistry(value = "qaArtifacts", lazy = true)
    public QaArtifacts qaArtifacts(CamelContext context) {
        return new QaArtifacts(bean(context, "db", Db.class), bean(context, "hubSettings", HubSettings.class).qaDir());
    }

    @BindToRegistry(value = "imageQa", lazy = true)
    public ImageQa imageQa(CamelContext context) {
        return new ImageQa(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "qaArtifacts", QaArtifacts.class), bean(context, "hubCache", HubCache.class),
                bean(context, "qaSettings", QaSettings.class));
    }

    @BindToRegistry(value = "catalogValidator", lazy = true)
    public CatalogValidator catalogValidator(CamelContext context) {
        return new CatalogValidator(bean(context, "db", Db.class), bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "referenceCatalog", ReferenceCatalog.class), bean(context, "qaSettings",
                QaSettings.class));
    }

    @BindToRegistry(value = "validationReport", lazy = true)
    public ValidationReport validationReport(CamelContext context) {
        return new ValidationReport(bean(context, "imageRegistry", ImageRegistry.class),
                bean(context, "imageQa", ImageQa.class), bean(context, "catalogValidator", CatalogValidator.class),
                bean(context, "qaArtifacts", QaArtifacts.class));
    }

    @BindToRegistry(value = "calibrationQa", lazy = true)
    public CalibrationQa calibrationQa(CamelContext context) {
        return new CalibrationQa(bean(context, "db", Db.class), highFlagFraction, problematicFraction);
    }

    @BindToRegistry(value = "caltableCompleteness", lazy = true)
    public CaltableCompleteness caltableCompleteness(CamelContext context) {
        return new CaltableCompleteness(bean(context, "db", Db.class), bean(context, "calibrationQa",
                CalibrationQa.class));
    }

    @BindToRegistry(value = "calibrationPlots", lazy = true)
    public CalibrationPlots calibrationPlots(CamelContext context) {
        return new CalibrationPlots(bean(context, "db", Db.class), bean(context, "calibrationQa", CalibrationQa.class),
                bean(context, "hubCache", HubCache.class));
    }

    @BindToRegistry(value = "fitsTableInfo", lazy = true)
    public FitsTableInfo fitsTableInfo(CamelContext context) {
        return new FitsTableInfo(bean(context, "db", Db.class));
    }
}
