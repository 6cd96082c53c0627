package org.dsa110.contimg.pipeline.builtin;

import static org.dsa110.contimg.Beans.bean;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.dsa110.contimg.pipeline.MemoryBudget;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.products.ReferenceCatalog;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.CalibratorMatcher;
import org.dsa110.contimg.science.radio.ObservatorySite;
import org.dsa110.contimg.store.Db;

/**
 * The builtin radio stage executors (registry beans {@code builtin.conversion}, {@code builtin.calibration_solve},
 * {@code builtin.calibration_apply}, {@code builtin.imaging}), chosen by {@code hub.stage.<stage>.executor=builtin}
 * (the default). Their parameters are the usual {@code hub.stage.<stage>.param.*} (see docs/radio-stages.md).
 */
@Configuration
public class RadioStagesConfiguration implements CamelConfiguration {
    /** Peak heap over input size (docs/performance.md, full-size group, pre-touched heap: 5.7 GB / 2.3 GB). */
    static final double CONVERSION_FACTOR = 2.6;
    /** Same for the solve (3.2 GB / 2.0 GB of UVFITS). */
    static final double SOLVE_FACTOR = 1.8;

    @PropertyInject(value = "hub.memory.heavy-fraction", defaultValue = "0.7")
    double heavyFraction;
    @PropertyInject(value = "hub.memory.wait-seconds", defaultValue = "600")
    long waitSeconds;
    @PropertyInject(value = "hub.memory.check", defaultValue = "true")
    boolean memoryCheck;


    @PropertyInject(value = "hub.astrometry.ut1-utc-sec", defaultValue = "0")
    private double ut1MinusUtcSec;
    @PropertyInject(value = "hub.astrometry.polar-motion-x-arcsec", defaultValue = "0")
    private double polarXArcsec;
    @PropertyInject(value = "hub.astrometry.polar-motion-y-arcsec", defaultValue = "0")
    private double polarYArcsec;
    private RadioStore store;
    private CalibrationRegistry calibrations;
    private MemoryBudget budget;

    @BindToRegistry(value = "memoryBudget", lazy = true)
    public synchronized MemoryBudget memoryBudget() {
        if (budget == null) {
            budget = MemoryBudget.ofHeap(heavyFraction, waitSeconds, memoryCheck);
        }
        return budget;
    }

    private synchronized RadioStore store(CamelContext context) {
        if (store == null) {
            store = new RadioStore(bean(context, "db", Db.class));
        }
        return store;
    }

    private synchronized CalibrationRegistry calibrations(CamelContext context) {
        if (calibrations == null) {
            calibrations = new CalibrationRegistry(bean(context, "db", Db.class));
        }
        return calibrations;
    }

    @BindToRegistry(value = "builtin.conversion", lazy = true)
    public StageExecutor conversion(CamelContext context) {
        Astrometry astrometry = new Astrometry(ObservatorySite.DSA110,
                new Astrometry.EarthOrientation(ut1MinusUtcSec, polarXArcsec, polarYArcsec));
        return new MemoryBound(new ConversionStage(store(context), CalibratorMatcher.dsa110Default(), astrometry),
                memoryBudget(), CONVERSION_FACTOR);
    }

    @BindToRegistry(value = "builtin.calibration_solve", lazy = true)
    public StageExecutor calibrationSolve(CamelContext context) {
        // the field model of the solve: the reference catalog's sources around the calibrator (docs/radio-stages.md)
        CalibrationSolveStage.FieldCatalog field = CalibrationSolveStage.FieldCatalog.of(
                () -> bean(context, "referenceCatalog", ReferenceCatalog.class));
        return new MemoryBound(new CalibrationSolveStage(store(context), calibrations(context), field),
                memoryBudget(), SOLVE_FACTOR);
    }

    @BindToRegistry(value = "builtin.calibration_apply", lazy = true)
    public StageExecutor calibrationApply(CamelContext context) {
        return new CalibrationApplyStage(store(context), calibrations(context));
    }

    @BindToRegistry(value = "builtin.imaging", lazy = true)
    public StageExecutor imaging(CamelContext context) {
        // sources of the reference catalog outside the image are subtracted before imaging (docs/radio-stages.md)
        return new ImagingStage(store(context), () -> bean(context, "imageRegistry", ImageRegistry.class),
                memoryBudget(), CalibrationSolveStage.FieldCatalog.of(
                        () -> bean(context, "referenceCatalog", ReferenceCatalog.class)));
    }
}
