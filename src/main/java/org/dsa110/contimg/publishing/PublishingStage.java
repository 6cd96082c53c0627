package org.dsa110.contimg.publishing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.store.Db;

/**
 * The builtin publishing stage ({@code builtin.publishing}): registers a group's products in the data registry
 * and auto-publishes those that qualify.
 *
 * <ul>
 * <li>the group itself, as a {@code metadata} product: a JSON manifest written to the stage's output directory
 * (data id = the group id);</li>
 * <li>the outputs of conversion ({@code ms}), calibration_solve ({@code caltable}), calibration_apply
 * ({@code calib_ms}, when it wrote a new file), imaging (FITS files: {@code image}) and mosaic ({@code mosaic});
 * data id {@code <group>/<type>/<file name>}. Outputs of other stages are not products of the registry.</li>
 * </ul>
 * Lineage: group → ms (derived_from), ms → calib_ms (derived_from), caltable → calib_ms or ms (calibrated_by),
 * calib_ms or ms → image (derived_from), image → mosaic (member_of). Tags: the type, {@code group:<id>} and
 * {@code stage:<stage>}. Validation: the product exists and is not empty; images and mosaics also open as FITS
 * with a celestial WCS. QA: images and mosaics take the image QA tier of the image registry (excellent/good →
 * passed, marginal → warning, poor → failed; the image is registered there if it is not yet), caltables and
 * calibrated MS the latest calibration QA of the group's MS; otherwise QA stays pending. Products outside the
 * staging roots are skipped (stage log). A failed publish does not fail the stage: the item stays failed and
 * retryable.
 */
public final class PublishingStage implements StageExecutor {
    /** Upstream stages whose outputs are products, in lineage order, with their data type. */
    static final Map<String, String> PRODUCT_STAGES = productStages();

    private final DataRegistry registry;
    private final Publisher publisher;
    private final Db db;
    private final Supplier<ImageRegistry> images;

    public PublishingStage(DataRegistry registry, Publisher publisher, Supplier<ImageRegistry> images) {
        this.registry = registry;
        this.publisher = publisher;
        this.db = registry.db();
        this.images = images;
    }

    private static Map<String, String> productStages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("conversion", "ms");
        m.put("calibration_solve", "caltable");
        m.put("calibration_apply", "calib_ms");
        m.put("imaging", "image");
        m.put("mosaic", "mosaic");
        return m;
    }

    @Override
    public StageResult run(StageRequest req) throws Exception {
        String group = req.groupId();
        Map<String, List<String>> byType = new LinkedHashMap<>();
        Set<Path> seen = new LinkedHashSet<>();
        Map<String, String> stageOf = new LinkedHashMap<>();
        int skipped = 0;
        for (Map.Entry<String, String> e : PRODUCT_STAGES.entrySet()) {
            for (String out : upstream(req, e.getKey())) {
                Optional<Path> p = staged(out);
                if (p.isEmpty()) {
                    req.log().line("stdout", "not a product under the staging roots, skipped: " + out);
                    skipped++;
                    continue;
                }
                if (!seen.add(p.get())) {
                    continue; // e.g. calibration applied in place: the MS is already registered
                }
                if ("image".equals(e.getValue()) && !isFitsName(p.get())) {
                    continue;
                }
                String id = group + "/" + e.getValue() + "/" + p.get().getFileName();
                byType.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(p.get().toString());
                stageOf.put(p.get().toString(), e.getKey());
                register(id, e.getValue(), p.get(), group, e.getKey(), Map.of("group_id", group,
                        "execution_id", req.executionId(), "stage", e.getKey()));
            }
        }
        List<String> ids = new ArrayList<>();
        byType.forEach((type, paths) -> paths.forEach(p -> ids.add(group + "/" + type + "/" + Path.of(p)
                .getFileName())));
        Path manifest = writeManifest(req, ids);
        register(group, "metadata", manifest, group, "publishing", Map.of("group_id", group, "execution_id",
                req.executionId(), "kind", "group_manifest"));
        relate(group, byType);

        int published = 0;
        int failed = 0;
        List<String> outputs = new ArrayList<>();
        List<String> all = new ArrayList<>(ids);
        all.add(group);
        for (String id : all) {
            Publisher.Outcome o = publisher.autoPublish(id);
            if (o != null && o.published()) {
                published++;
            } else if (o != null) {
                failed++;
                req.log().line("stderr", "publish of " + id + " failed: " + o.error());
            }
            registry.row(id).ifPresent(r -> outputs.add((String) ("published".equals(r.get("status"))
                    ? r.get("published_path") : r.get("stage_path"))));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("registered", all.size());
        metrics.put("published", published);
        metrics.put("publish_failed", failed);
        metrics.put("staged", all.size() - published - failed);
        metrics.put("skipped", skipped);
        return new StageResult(outputs, metrics);
    }

    private void register(String id, String type, Path product, String group, String stage,
            Map<String, Object> metadata) throws IOException {
        Checksums.Digest digest = Checksums.of(product);
        String validation = validate(type, product, digest);
        String qa = "validated".equals(validation) ? qaOf(type, product, group) : "pending";
        Set<String> tags = new LinkedHashSet<>(List.of(type, "group:" + group, "stage:" + stage));
        registry.register(new DataRegistry.Registration(id, type, product.toString(), digest.sha256(),
                digest.sizeBytes(), qa, validation, publisher.settings().autoPublishTypes().contains(type),
                metadata, tags));
    }

    private static String validate(String type, Path product, Checksums.Digest digest) {
        if (digest.sizeBytes() <= 0 || !Files.isReadable(product)) {
            return "invalid";
        }
        if (("image".equals(type) || "mosaic".equals(type)) && !Files.isDirectory(product)) {
            try (FitsImage img = FitsImage.open(product)) {
                return img.hasWcs() ? "validated" : "invalid";
            } catch (IOException | RuntimeException e) {
                return "invalid";
            }
        }
        return "validated";
    }

    /** The QA state of a product from the image registry or the calibration QA table (pending when unknown). */
    private String qaOf(String type, Path product, String group) {
        if ("image".equals(type) || "mosaic".equals(type)) {
            String path = product.toString();
            Optional<Map<String, Object>> row = db.one("SELECT quality_tier FROM images WHERE path = ?", path);
            if (row.isEmpty()) {
                try {
                    images.get().register(path, new ImageRegistry.Registration(null, group,
                            "mosaic".equals(type) ? "mosaic" : null, null));
                    row = db.one("SELECT quality_tier FROM images WHERE path = ?", path);
                } catch (RuntimeException e) {
                    return "pending";
                }
            }
            return qaFromTier(row.map(r -> (String) r.get("quality_tier")).orElse(null));
        }
        if ("caltable".equals(type) || "calib_ms".equals(type)) {
            return db.one("SELECT q.overall_quality FROM calibration_qa q JOIN ms_index m ON m.path = q.ms_path "
                    + "WHERE m.group_id = ? ORDER BY q.timestamp DESC, q.id DESC", group)
                    .map(r -> qaFromTier((String) r.get("overall_quality"))).orElse("pending");
        }
        return "pending";
    }

    static String qaFromTier(String tier) {
        if (tier == null) {
            return "pending";
        }
        return switch (tier.toLowerCase(Locale.ROOT)) {
            case "excellent", "good" -> "passed";
            case "marginal" -> "warning";
            case "poor" -> "failed";
            default -> "pending";
        };
    }

    private void relate(String group, Map<String, List<String>> byType) {
        List<String> ms = ids(group, "ms", byType);
        List<String> calibrated = ids(group, "calib_ms", byType);
        List<String> imageParents = calibrated.isEmpty() ? ms : calibrated;
        ms.forEach(m -> registry.relate(new DataRegistry.Relation(group, m, "derived_from")));
        for (String c : calibrated) {
            ms.forEach(m -> registry.relate(new DataRegistry.Relation(m, c, "derived_from")));
            if (ms.isEmpty()) {
                registry.relate(new DataRegistry.Relation(group, c, "derived_from"));
            }
        }
        for (String t : ids(group, "caltable", byType)) {
            imageParents.forEach(m -> registry.relate(new DataRegistry.Relation(t, m, "calibrated_by")));
        }
        List<String> imgs = ids(group, "image", byType);
        for (String i : imgs) {
            imageParents.forEach(m -> registry.relate(new DataRegistry.Relation(m, i, "derived_from")));
            if (imageParents.isEmpty()) {
                registry.relate(new DataRegistry.Relation(group, i, "derived_from"));
            }
        }
        for (String mo : ids(group, "mosaic", byType)) {
            imgs.forEach(i -> registry.relate(new DataRegistry.Relation(i, mo, "member_of")));
        }
    }

    private static List<String> ids(String group, String type, Map<String, List<String>> byType) {
        List<String> out = new ArrayList<>();
        byType.getOrDefault(type, List.of()).forEach(p -> out.add(group + "/" + type + "/" + Path.of(p)
                .getFileName()));
        return out;
    }

    private Path writeManifest(StageRequest req, List<String> ids) throws IOException {
        Files.createDirectories(req.outputDir());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group_id", req.groupId());
        m.put("execution_id", req.executionId());
        m.put("pointing_dec_deg", req.params().get("pointing_dec_deg"));
        m.put("has_calibrator", req.params().get("has_calibrator"));
        m.put("products", ids);
        m.put("written_at", Instant.now().toString());
        Path file = req.outputDir().resolve(req.groupId().replaceAll("[^A-Za-z0-9._:+-]", "_") + ".group.json");
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        return file;
    }

    @SuppressWarnings("unchecked")
    private static List<String> upstream(StageRequest req, String stage) {
        Object v = req.params().get("upstream." + stage);
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(String.valueOf(o)));
            return out;
        }
        return List.of();
    }

    /** The real path of an existing output under a staging root. */
    private Optional<Path> staged(String out) {
        try {
            return Optional.of(publisher.insideStaging(out));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean isFitsName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".fits") || n.endsWith(".fit") || n.endsWith(".fts");
    }
}
