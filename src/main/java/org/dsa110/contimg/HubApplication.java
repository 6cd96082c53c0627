package org.dsa110.contimg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.camel.main.Main;
import org.dsa110.contimg.cluster.StartupChecks;
import org.dsa110.contimg.demo.SimulateCommand;
import org.dsa110.contimg.ops.OutOfMemoryExit;

/**
 * Entry point: starts the hub on Camel Main. Defaults come from config/application.properties packaged in the
 * jar; an operator's own file ({@code HUB_CONFIG}, or ./config/application.properties) overrides them, and
 * environment variables / -D override both.
 */
public final class HubApplication {
    private HubApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && SimulateCommand.NAME.equals(args[0])) {
            System.exit(SimulateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && StartupTraining.NAME.equals(args[0])) {
            System.exit(StartupTraining.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        OutOfMemoryExit.installDefaultHandler();
        Main main = createMain(args, true);
        main.run(camelArgs(args));
    }

    /** The arguments for Camel Main's own option parser: the hub's {@code --demo} flag removed. */
    static String[] camelArgs(String[] args) {
        return Arrays.stream(args).filter(a -> !"--demo".equals(a)).toArray(String[]::new);
    }

    /** Image size cap (pixels) of demo mode, unless configured. */
    static final String DEMO_IMAGE_MAX_SIZE = "1024";

    static Main createMain(String[] args) {
        return createMain(args, false);
    }

    /** {@code standalone}: the application itself, which refuses to start by exiting (tests get an exception). */
    static Main createMain(String[] args, boolean standalone) {
        Main main = new Main(HubApplication.class);
        main.addMainListener(new StartupChecks(standalone));
        // the configuration classes and route builders are listed (HubModules), not scanned for
        main.configure().withBasePackageScanEnabled(false);
        HubModules.CONFIGURATIONS.forEach(main.configure()::addConfiguration);
        main.configure().addRoutesBuilder(HubModules.ROUTES.toArray(new Class<?>[0]));
        StringBuilder locations = new StringBuilder("classpath:config/application.properties");
        String operatorFile = System.getenv("HUB_CONFIG");
        if (operatorFile != null && !operatorFile.isBlank()) {
            locations.append(",file:").append(operatorFile);
        } else if (Files.isRegularFile(Path.of("config", "application.properties"))) {
            locations.append(",file:config/application.properties;optional=true");
        }
        main.setPropertyPlaceholderLocations(locations.toString());
        String routesDir = System.getenv("HUB_ROUTES_DIR");
        if (routesDir == null) {
            routesDir = System.getProperty("hub.routes.dir");
        }
        if (routesDir != null && !routesDir.isBlank()) {
            // An operator's edited copies of the route files replace the packaged ones.
            main.addOverrideProperty("camel.main.routesIncludePattern",
                    "file:" + Path.of(routesDir).toAbsolutePath() + "/*.camel.yaml");
        }
        boolean demo = "true".equalsIgnoreCase(System.getenv("HUB_DEMO")) || Boolean.getBoolean("hub.demo");
        for (String a : args) {
            if ("--demo".equals(a)) {
                main.addOverrideProperty("hub.demo", "true");
                demo = true;
            }
        }
        if (demo && System.getenv("HUB_STAGE_IMAGING_PARAM_MAX_SIZE") == null
                && System.getProperty("hub.stage.imaging.param.max-size") == null) {
            // the demo's small array still asks for a full 3.5 degree field: cap the image so a group images in
            // seconds with the default heap (an operator's own setting wins)
            main.addOverrideProperty("hub.stage.imaging.param.max-size", DEMO_IMAGE_MAX_SIZE);
        }
        return main;
    }
}
