package org.dsa110.contimg.observing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dsa110.contimg.core.HubException;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.uvfits.UvfitsSummary;
import org.dsa110.contimg.store.Db;

/**
 * The MS details of the dashboard's inspection panel for an indexed visibility file: a {@code listobs}-style text
 * summary, the stage logs of the pipeline runs that made or used it, and its calibration tables.
 */
public final class MsInspection {

    /** A text view; the dashboard shows {@code content}. {@code summary} is the structured form when there is one. */
    public record Text(String msPath, String format, String content, Object summary) {
    }

    /** A calibration table of an MS: solved on it (or its group), or valid for its mid time. */
    public record CalTable(String name, String path, String type, String status, String setName, String relation) {
    }

    public record CalTables(String msPath, List<CalTable> tables) {
    }

    private final Db db;

    public MsInspection(Db db) {
        this.db = db;
    }

    /** The ms_index row of a path (also tried with a leading '/', which the dashboard strips); 404 when absent. */
    public Map<String, Object> row(String msPath) {
        Optional<Map<String, Object>> row = db.one("SELECT * FROM ms_index WHERE path = ?", msPath);
        if (row.isEmpty() && !msPath.startsWith("/")) {
            row = db.one("SELECT * FROM ms_index WHERE path = ?", "/" + msPath);
        }
        return row.orElseThrow(() -> HubException.notFound("measurement set", msPath));
    }

    /**
     * The listobs text of the file at {@code file} (its real path, confined by the caller) indexed as {@code row}.
     * A UVFITS file is read (scans, fields, spectral window, antennas); for a Measurement Set directory, which the
     * hub cannot open without casacore, the index's record is shown.
     */
    public Text listobs(Map<String, Object> row, Path file) throws IOException {
        String path = (String) row.get("path");
        if (Files.isRegularFile(file)) {
            UvfitsSummary.Summary s = UvfitsSummary.read(file);
            return new Text(path, "uvfits", listobsText(path, s), s);
        }
        StringBuilder t = new StringBuilder();
        t.append("MeasurementSet Name:  ").append(path).append("   (indexed summary: the hub reads UVFITS; this MS "
                + "needs CASA's listobs for scans and antennas)\n");
        line(t, "Group", row.get("group_id"));
        line(t, "Observed from", mjdText(row.get("start_mjd")) + "   to   " + mjdText(row.get("end_mjd")));
        line(t, "Fields", row.get("field_names"));
        line(t, "Pointing (J2000 deg)", row.get("pointing_ra_deg") + ", " + row.get("pointing_dec_deg"));
        line(t, "Antennas", row.get("num_antennas"));
        line(t, "Channels", row.get("num_channels"));
        line(t, "Frequency (GHz)", row.get("freq_min_ghz") + " - " + row.get("freq_max_ghz"));
        line(t, "Data columns", row.get("data_columns"));
        return new Text(path, String.valueOf(row.get("format")), t.toString(), null);
    }

    static String listobsText(String path, UvfitsSummary.Summary s) {
        StringBuilder t = new StringBuilder(4096);
        t.append("================================================================================\n");
        t.append("           MeasurementSet Name:  ").append(path).append("      MS Version: UVFITS\n");
        t.append("================================================================================\n");
        t.append("   Observer: unavailable     Project: ").append(s.object()).append('\n');
        t.append("Observation: ").append(s.telescope()).append('\n');
        t.append(String.format(Locale.ROOT, "Data records: %d       Total elapsed time = %.2f seconds%n", s.rows(),
                (s.endJd() - s.startJd()) * 86400 + (Double.isFinite(s.integrationSec()) ? s.integrationSec() : 0)));
        t.append("   Observed from   ").append(jdText(s.startJd())).append("   to   ").append(jdText(s.endJd()))
                .append(" (UTC)\n\n");
        t.append(String.format(Locale.ROOT, "Integration time: %.2f s   Flagged: %.1f %%%n%n", s.integrationSec(),
                100 * s.flaggedFraction()));
        t.append("ObservationID = 0         ArrayID = 0\n");
        t.append(String.format(Locale.ROOT, "  %-26s %-26s %5s %-16s %8s%n", "Timerange (UTC)", "", "Scan",
                "FldName", "nRows"));
        for (UvfitsSummary.Scan sc : s.scans()) {
            t.append(String.format(Locale.ROOT, "  %-26s %-26s %5d %-16s %8d%n", jdText(sc.startJd()),
                    jdText(sc.endJd()), sc.id(), sc.field(), sc.rows()));
        }
        t.append(String.format(Locale.ROOT, "%nFields: %d%n  %-4s %-16s %-16s %-16s %8s%n", s.fields().size(), "ID",
                "Name", "RA (deg)", "Decl (deg)", "nRows"));
        for (UvfitsSummary.Field f : s.fields()) {
            t.append(String.format(Locale.ROOT, "  %-4d %-16s %-16.6f %-16.6f %8d%n", f.id(), f.name(), f.raDeg(),
                    f.decDeg(), f.rows()));
        }
        t.append(String.format(Locale.ROOT, "%nSpectral Windows: (1 unique spectral window)%n  SpwID  #Chans  "
                + "Ch0(MHz)      ChanWid(kHz)  TotBW(kHz)   Corrs%n  0      %-7d %-13.4f %-13.3f %-12.3f %s%n",
                s.nChannels(), s.firstFrequencyHz() / 1e6, s.channelWidthHz() / 1e3,
                s.nChannels() * Math.abs(s.channelWidthHz()) / 1e3, String.join(" ", s.polarizations())));
        t.append(String.format(Locale.ROOT, "%nAntennas: %d%n  %-4s %-10s %s%n", s.antennas().size(), "ID", "Name",
                "ITRF x, y, z (m)"));
        for (UvfitsSummary.Antenna a : s.antennas()) {
            double[] p = a.positionEcef();
            t.append(String.format(Locale.ROOT, "  %-4d %-10s %.3f, %.3f, %.3f%n", a.number(), a.name(), p[0], p[1],
                    p[2]));
        }
        return t.toString();
    }

    /** The stage logs of the pipeline runs of the MS's group (or with it as their MS), oldest first. */
    public Text logs(Map<String, Object> row, int maxLines) {
        String path = (String) row.get("path");
        StringBuilder t = new StringBuilder();
        int lines = 0;
        for (Map<String, Object> r : db.query("SELECT r.id, r.execution_id, r.stage_name, r.status, r.attempt, "
                + "r.started_at FROM stage_runs r JOIN pipeline_executions e ON e.id = r.execution_id "
                + "WHERE e.group_id = ? OR e.ms_path = ? ORDER BY r.id", row.get("group_id") == null ? ""
                        : row.get("group_id"), path)) {
            t.append("== execution ").append(r.get("execution_id")).append(", stage ").append(r.get("stage_name"))
                    .append(" (").append(r.get("status")).append(", attempt ").append(r.get("attempt"))
                    .append(", started ").append(r.get("started_at")).append(") ==\n");
            for (Map<String, Object> l : db.query("SELECT ts, stream, line FROM stage_log_lines WHERE stage_run_id = ? "
                    + "ORDER BY seq", r.get("id"))) {
                if (lines++ >= maxLines) {
                    t.append("... (more lines: see /api/pipeline/executions/{id}/stages/{stage}/logs)\n");
                    return new Text(path, String.valueOf(row.get("format")), t.toString(), null);
                }
                t.append(l.get("ts")).append(" [").append(l.get("stream")).append("] ").append(l.get("line"))
                        .append('\n');
            }
        }
        if (t.length() == 0) {
            t.append("No pipeline stage logs recorded for ").append(path).append('\n');
        }
        return new Text(path, String.valueOf(row.get("format")), t.toString(), null);
    }

    /** Tables solved on the MS or its group, then tables whose validity window covers its mid time. */
    public CalTables calTables(Map<String, Object> row) {
        String path = (String) row.get("path");
        Object group = row.get("group_id");
        Object mid = row.get("mid_mjd");
        List<CalTable> out = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(path, group == null ? "" : group));
        String validFor = "";
        if (mid instanceof Number m) {
            validFor = " OR (valid_start_mjd <= ? AND valid_end_mjd >= ?)";
            args.add(m.doubleValue());
            args.add(m.doubleValue());
        }
        for (Map<String, Object> t : db.query("SELECT path, filename, table_type, status, set_name, ms_path, "
                + "cal_group_id FROM caltables WHERE ms_path = ? OR cal_group_id = ?" + validFor
                + " ORDER BY order_index, created_at DESC", args.toArray())) {
            boolean solved = path.equals(t.get("ms_path")) || (group != null && group.equals(t.get("cal_group_id")));
            out.add(new CalTable((String) t.get("filename"), (String) t.get("path"), (String) t.get("table_type"),
                    (String) t.get("status"), (String) t.get("set_name"), solved ? "solved_on" : "valid_for"));
        }
        return new CalTables(path, out);
    }

    private static void line(StringBuilder t, String label, Object value) {
        t.append(String.format(Locale.ROOT, "  %-22s %s%n", label + ":", value == null ? "unknown" : value));
    }

    private static String mjdText(Object mjd) {
        return mjd instanceof Number n ? SkyCoords.mjdToInstant(n.doubleValue()).toString() : "unknown";
    }

    private static String jdText(double jd) {
        return Double.isFinite(jd) ? Instant.ofEpochMilli(Math.round((jd - 2440587.5) * 86400000.0)).toString()
                : "unknown";
    }
}
