package org.dsa110.contimg.science.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsa110.contimg.science.radio.SkyGeometry;
import org.dsa110.contimg.science.sim.ObservingPlan.GroupPlan;

/**
 * The truth file of a simulation (JSON, snake_case keys): configuration, array, frequencies, every group (times,
 * file names, calibrator geometry, the sources in its visibilities with their apparent fluxes, the injected gains at
 * its centre), the sky (steady fluxes; per-group fluxes for sources with an injected ESE) and the gain model.
 */
public final class SimulationTruth {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private SimulationTruth() {
    }

    /** Writes the truth of {@code sim} to {@code file} atomically. */
    public static void write(GroupSimulator sim, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".truth", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), build(sim));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The truth as plain maps and lists (what {@link #write} serialises). */
    public static Map<String, Object> build(GroupSimulator sim) {
        SimConfig c = sim.config();
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("seed", c.seed());
        cfg.put("groups", c.groups());
        cfg.put("antennas", c.antennas());
        cfg.put("subbands", c.subbands());
        cfg.put("channels_per_subband", c.channelsPerSubband());
        cfg.put("channel_width_hz", sim.channelWidthHz());
        cfg.put("integrations", c.integrations());
        cfg.put("integration_sec", c.integrationSec());
        cfg.put("group_cadence_sec", c.groupCadenceSec());
        cfg.put("pointing_dec_deg", c.pointingDecDeg());
        cfg.put("sefd_jy", c.sefdJy());
        cfg.put("noise_sigma_jy", c.sefdJy() > 0 ? org.dsa110.contimg.science.radio.VisibilityModel.noiseSigmaJy(
                c.sefdJy(), sim.channelWidthHz(), c.integrationSec()) : 0.0);
        cfg.put("gains", c.gains() ? "injected" : "unit");
        cfg.put("catalog_min_flux_mjy", c.catalogMinFluxMjy());
        cfg.put("model_min_apparent_mjy", c.modelMinApparentMjy());
        cfg.put("catalog_name", c.catalogName());
        cfg.put("catalog_file", c.catalogPath().toAbsolutePath().toString());
        cfg.put("calibrator_groups", c.calibratorGroups());
        root.put("config", cfg);
        root.put("antennas", sim.layout().numbers());
        List<double[]> freqs = new ArrayList<>();
        for (int sb = 0; sb < c.subbands(); sb++) {
            freqs.add(sim.subbandFrequencies(sb));
        }
        root.put("subband_frequencies_hz", freqs);
        sim.calibrator().ifPresent(cal -> root.put("calibrator", source(cal)));
        root.put("groups", groups(sim));
        List<Map<String, Object>> ese = new ArrayList<>();
        for (EseInjection e : sim.ese()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source_id", e.sourceId());
            m.put("start_group", e.startGroup());
            m.put("duration_groups", e.durationGroups());
            m.put("depth", e.depth());
            ese.add(m);
        }
        root.put("ese", ese);
        List<Map<String, Object>> sources = new ArrayList<>();
        for (SkySource s : sim.sky()) {
            Map<String, Object> m = source(s);
            boolean variable = sim.ese().stream().anyMatch(e -> e.sourceId().equals(s.sourceId()));
            if (variable) {
                double[] perGroup = new double[c.groups()];
                for (int g = 0; g < perGroup.length; g++) {
                    perGroup[g] = sim.fluxJy(s, g);
                }
                m.put("flux_jy_per_group", perGroup);
            }
            sources.add(m);
        }
        root.put("sources", sources);
        Map<String, Object> gains = new LinkedHashMap<>();
        gains.put("model", "g(t,nu) = A (1 + ripple_amplitude sin(2 pi (nu - 1.4 GHz)/ripple_period_hz + "
                + "ripple_offset)) exp(i [phase + phase_rate (t - reference_time) + ripple_phase_amplitude_rad "
                + "sin(same)]), t in hours");
        gains.put("unit", sim.gains().isUnit());
        gains.put("reference_time_jd", sim.gains().refJd());
        gains.put("antennas", sim.gains().antennas());
        root.put("gains", gains);
        return root;
    }

    private static List<Map<String, Object>> groups(GroupSimulator sim) {
        SimConfig c = sim.config();
        double decRad = Math.toRadians(c.pointingDecDeg());
        double centreFreq = SubbandWriter.BAND_CENTRE_HZ;
        List<Map<String, Object>> out = new ArrayList<>();
        for (GroupPlan p : sim.groups()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("index", p.index());
            g.put("group_id", p.groupId());
            g.put("start_utc", p.start().toString());
            g.put("start_jd", p.startJd());
            g.put("mid_mjd", p.midMjd());
            double[] centre = ObservingPlan.meridianIcrs(p.midJd(), decRad, sim.astrometry());
            g.put("centre_ra_deg", Math.toDegrees(centre[0]));
            g.put("centre_dec_deg", Math.toDegrees(centre[1]));
            List<String> files = new ArrayList<>();
            for (int sb = 0; sb < c.subbands(); sb++) {
                files.add(p.fileName(sb));
            }
            g.put("files", files);
            g.put("calibrator_transit", p.calibratorTransit());
            sim.calibrator().ifPresent(cal -> {
                double sep = ObservingPlan.separationFromMeridianDeg(cal, p.midJd(), decRad, sim.astrometry());
                g.put("calibrator_separation_deg", sep);
                g.put("calibrator_pb_response", sim.beam().response(Math.toRadians(sep), centreFreq));
            });
            List<Map<String, Object>> inField = new ArrayList<>();
            for (SkySource s : sim.modelSources(p.index())) {
                double sep = SkyGeometry.separationRad(s.raRad(), s.decRad(), centre[0], centre[1]);
                double pb = sim.beam().response(sep, centreFreq);
                double flux = sim.fluxJy(s, p.index());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source_id", s.sourceId());
                m.put("flux_jy", flux);
                m.put("separation_deg", Math.toDegrees(sep));
                m.put("pb_response", pb);
                inField.add(m);
            }
            // every source in the group's visibilities: steady × ESE flux at 1.4 GHz, offset and primary-beam
            // response (band centre) at the group centre
            g.put("sources_in_field", inField);
            List<Map<String, Object>> gains = new ArrayList<>();
            for (GainModel.AntennaGain a : sim.gains().antennas()) {
                double[] v = sim.gains().gain(a.antenna(), p.midJd(), centreFreq);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("antenna", a.antenna());
                m.put("amplitude", Math.hypot(v[0], v[1]));
                m.put("phase_deg", Math.toDegrees(Math.atan2(v[1], v[0])));
                gains.add(m);
            }
            g.put("gains_at_centre", gains);
            out.add(g);
        }
        return out;
    }

    private static Map<String, Object> source(SkySource s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_id", s.sourceId());
        m.put("name", s.name());
        m.put("ra_deg", s.raDeg());
        m.put("dec_deg", s.decDeg());
        m.put("flux_jy", s.fluxJy());
        m.put("spectral_index", s.spectralIndex());
        m.put("calibrator", s.calibrator());
        m.put("confused", s.confused());
        return m;
    }
}
