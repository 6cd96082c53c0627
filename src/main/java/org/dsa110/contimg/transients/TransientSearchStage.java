package org.dsa110.contimg.transients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.dsa110.contimg.pipeline.StageInputs;
import org.dsa110.contimg.pipeline.StageExecutor;
import org.dsa110.contimg.pipeline.StageRequest;
import org.dsa110.contimg.pipeline.StageResult;
import org.dsa110.contimg.products.ImageRegistry;
import org.dsa110.contimg.store.Db;

/**
 * The builtin transient_search stage ({@code builtin.transient_search}): searches each sky image the imaging stage
 * produced. Inputs are the imaging outputs; FITS files are looked up in the image registry (registered there when
 * they are not yet). Only sky images are searched: registered type image or pbcor (or, unregistered, a name
 * without psf / residual / model / dirty / pb / beam); when the group has primary-beam-corrected images only
 * those are searched, since catalog fluxes are true sky fluxes. Outputs: the searched image paths. Imaging outputs
 * without a FITS sky image (e.g. CASA image directories) leave nothing to search: the stage completes with
 * {@code images = 0} and says so in its log; a FITS image that cannot be read fails it.
 */
public final class TransientSearchStage implements StageExecutor {
    private static final Pattern NOT_SKY = Pattern.compile(".*[-_.](psf|residual|model|dirty|pb|beam)([-_.].*)?\\.fits?$");

    private final TransientSearch search;
    private final ImageRegistry images;
    private final Db db;

    public TransientSearchStage(TransientSearch search, ImageRegistry images, Db db) {
        this.search = search;
        this.images = images;
        this.db = db;
    }

    @Override
    public StageResult run(StageRequest req) {
        List<long[]> sky = new ArrayList<>(); // {id, pbcor}
        List<String> paths = new ArrayList<>();
        for (String in : req.inputs()) {
            String lower = in.toLowerCase(Locale.ROOT);
            if (!(lower.endsWith(".fits") || lower.endsWith(".fit") || lower.endsWith(".fts"))) {
                continue;
            }
            Optional<Map<String, Object>> row = images.roots().resolve(in)
                    .flatMap(p -> db.one("SELECT id, type, pbcor, path FROM images WHERE path = ?", p.toString()));
            long id;
            String type;
            if (row.isPresent()) {
                id = ((Number) row.get().get("id")).longValue();
                type = (String) row.get().get("type");
            } else {
                if (NOT_SKY.matcher(lower).matches()) {
                    continue;
                }
                StageInputs.check(List.of(in)); // a file named .fits that is no FITS image: invalid_input
                try {
                    id = images.register(in, new ImageRegistry.Registration(null, req.groupId(),
                            lower.contains("pbcor") ? "pbcor" : null, null));
                } catch (HubException e) {
                    throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                            "cannot register image " + in + ": " + e.getMessage());
                }
                type = (String) images.row(id).get("type");
            }
            if ("image".equals(type) || "pbcor".equals(type)) {
                sky.add(new long[] {id, "pbcor".equals(type) ? 1 : 0});
                paths.add(in);
            }
        }
        if (sky.isEmpty()) {
            // e.g. an external imager that writes CASA image directories: nothing this stage can read
            req.log().line("stdout", "no FITS sky image among the imaging outputs, nothing to search: "
                    + req.inputs());
            return new StageResult(List.of(), Map.of("images", 0, "detections", 0, "alerts", 0));
        }
        boolean anyPbcor = sky.stream().anyMatch(s -> s[1] == 1);
        List<String> outputs = new ArrayList<>();
        int detections = 0;
        int alerts = 0;
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (int i = 0; i < sky.size(); i++) {
            if (anyPbcor && sky.get(i)[1] == 0) {
                continue;
            }
            TransientSearch.Summary s = search.search(sky.get(i)[0]);
            req.log().line("stdout", "image " + s.imageId() + ": " + s.toMap());
            detections += s.detections();
            alerts += s.alerts();
            s.candidatesByType().forEach((t, n) -> byType.merge(t, n, Integer::sum));
            outputs.add(paths.get(i));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("images", outputs.size());
        metrics.put("detections", detections);
        metrics.put("alerts", alerts);
        byType.forEach((t, n) -> metrics.put("candidates_" + t, n));
        return new StageResult(outputs, metrics);
    }
}
