package org.dsa110.contimg.observing;

import static org.dsa110.contimg.Beans.bean;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.calibration.AntennaHealth;
import org.dsa110.contimg.calibration.CalibrationQuality;
import org.dsa110.contimg.calibration.CalibrationRegistry;
import org.dsa110.contimg.calibration.CalibrationViews;
import org.dsa110.contimg.monitoring.EseTrends;
import org.dsa110.contimg.monitoring.MosaicQuality;
import org.dsa110.contimg.science.radio.VlaCalibratorCatalog;
import org.dsa110.contimg.store.Db;

/**
 * Wiring of the calibration, antenna, pointing, timeline, mosaic-quality and ESE-plot views and of the small
 * stores the pipeline stages write them through (pointing history, MS registration, calibrator matches,
 * calibration registry). Built from the {@code hub.views.*} properties; lazy, so the shared beans exist first.
 */
@Configuration
public class ViewsConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hub.views.pointing.expected-dec-deg", defaultValue = "")
    String expectedDecDeg;
    @PropertyInject(value = "hub.views.pointing.drift-tolerance-deg", defaultValue = "0.5")
    double driftToleranceDeg;
    @PropertyInject(value = "hub.views.pointing.stale-minutes", defaultValue = "60")
    long staleMinutes;
    @PropertyInject(value = "hub.views.antenna.outlier-z", defaultValue = "3.5")
    double outlierZ;
    @PropertyInject(value = "hub.views.antenna.flagged-fraction", defaultValue = "0.5")
    double flaggedFraction;
    @PropertyInject(value = "hub.views.calibration.min-snr", defaultValue = "5")
    double minSnr;

    @BindToRegistry(value = "pointingHistory", lazy = true)
    public PointingHistory pointingHistory(CamelContext context) {
        return new PointingHistory(db(context));
    }

    @BindToRegistry(value = "msRegistry", lazy = true)
    public MsRegistry msRegistry(CamelContext context) {
        return new MsRegistry(db(context), bean(context, "pointingHistory", PointingHistory.class));
    }

    @BindToRegistry(value = "calibratorMatches", lazy = true)
    public CalibratorMatches calibratorMatches(CamelContext context) {
        return new CalibratorMatches(db(context), VlaCalibratorCatalog::loadLBand);
    }

    @BindToRegistry(value = "observationTimeline", lazy = true)
    public ObservationTimeline observationTimeline(CamelContext context) {
        return new ObservationTimeline(db(context));
    }

    @BindToRegistry(value = "pointingMonitor", lazy = true)
    public PointingMonitor pointingMonitor(CamelContext context) {
        Double expected = expectedDecDeg == null || expectedDecDeg.isBlank() ? null
                : Double.valueOf(expectedDecDeg.trim());
        return new PointingMonitor(bean(context, "pointingHistory", PointingHistory.class), expected,
                driftToleranceDeg, Duration.ofMinutes(staleMinutes));
    }

    @BindToRegistry(value = "calibrationRegistry", lazy = true)
    public CalibrationRegistry calibrationRegistry(CamelContext context) {
        return new CalibrationRegistry(db(context));
    }

    @BindToRegistry(value = "calibrationViews", lazy = true)
    public CalibrationViews calibrationViews(CamelContext context) {
        return new CalibrationViews(db(context));
    }

    @BindToRegistry(value = "calibrationQuality", lazy = true)
    public CalibrationQuality calibrationQuality(CamelContext context) {
        return new CalibrationQuality(db(context), minSnr);
    }

    @BindToRegistry(value = "antennaHealth", lazy = true)
    public AntennaHealth antennaHealth(CamelContext context) {
        return new AntennaHealth(db(context), outlierZ, flaggedFraction);
    }

    @BindToRegistry(value = "mosaicQuality", lazy = true)
    public MosaicQuality mosaicQuality(CamelContext context) {
        return new MosaicQuality(db(context));
    }

    @BindToRegistry(value = "eseTrends", lazy = true)
    public EseTrends eseTrends(CamelContext context) {
        return new EseTrends(db(context));
    }

    @Override
    public void configure(CamelContext context) {
        // beans only
    }

    private static Db db(CamelContext context) {
        return bean(context, "db", Db.class);
    }

    /** The bean names this configuration binds. */
    public static final Map<String, Class<?>> BEANS = Map.ofEntries(Map.entry("pointingHistory", PointingHistory.class),
            Map.entry("msRegistry", MsRegistry.class), Map.entry("calibratorMatches", CalibratorMatches.class),
            Map.entry("observationTimeline", ObservationTimeline.class),
            Map.entry("pointingMonitor", PointingMonitor.class),
            Map.entry("calibrationRegistry", CalibrationRegistry.class),
            Map.entry("calibrationViews", CalibrationViews.class),
            Map.entry("calibrationQuality", CalibrationQuality.class), Map.entry("antennaHealth", AntennaHealth.class),
            Map.entry("mosaicQuality", MosaicQuality.class), Map.entry("eseTrends", EseTrends.class));
}
