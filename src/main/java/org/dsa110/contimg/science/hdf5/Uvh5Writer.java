package org.dsa110.contimg.science.hdf5;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes {@link Uvh5Data} as a UVH5 file readable by pyuvdata (UVH5 memo; pyuvdata's
 * {@code UVH5._write_header}): a {@code Header} group of metadata datasets and a {@code Data}
 * group with {@code visdata} (compound {r, i} float32), {@code flags} (h5py bool) and
 * {@code nsamples} (float32), each shaped (Nblts, Nfreqs, Npols).
 *
 * <p>Layout choices: modern 1-D {@code freq_array}/{@code channel_width} with
 * {@code flex_spw_id_array} and a single spectral window numbered 0; the phase centre as the data state it
 * ({@link Uvh5PhaseCentres}): for the hub's drift scans the UVH5 1.x catalog with one {@code driftscan} entry at
 * the alt-az of the meridian at the pointing declination, with {@code phase_center_id_array},
 * {@code phase_center_app_ra/dec} and {@code phase_center_frame_pa}, which agree with the meridian uvw; the DSA-110
 * keywords ({@code extra_keywords/phase_center_dec}, {@code ha_phase_center}) are kept, the legacy
 * {@code phase_type = "drift"} of DSA-110's own files is not written (pyuvdata reads it as "unprojected", phased to
 * the zenith, which the uvw contradict: docs/conventions.md). Integers are written as int64, like numpy's default
 * integers via h5py.
 */
public final class Uvh5Writer {

    /** UVH5 format version written: 1-D frequency axis, phase-centre catalog of one group per entry. */
    public static final String UVH5_VERSION = "1.2";

    private Uvh5Writer() {
    }

    /** Writes the file; the large data arrays stream straight from {@code data}'s arrays. */
    public static void write(Uvh5Data data, Path path) throws IOException {
        Hdf5Writer writer = new Hdf5Writer();
        writeHeader(data, writer.root().group("Header"));
        writeData(data, writer.root().group("Data"));
        writer.write(path);
    }

    private static void writeHeader(Uvh5Data d, Hdf5Group h) {
        Uvh5Data.Telescope tel = d.telescope();
        Uvh5Data.BaselineTimes blts = d.blts();
        h.scalar("version", UVH5_VERSION);
        h.scalar("telescope_name", tel.name());
        h.scalar("instrument", tel.instrument());
        h.scalar("latitude", tel.latitudeDeg());
        h.scalar("longitude", tel.longitudeDeg());
        h.scalar("altitude", tel.altitudeM());
        h.scalar("Nants_telescope", (long) d.nAntsTelescope());
        h.dataset("antenna_names", tel.antennaNames());
        h.dataset("antenna_numbers", toLong(tel.antennaNumbers()));
        h.dataset("antenna_positions", tel.antennaPositionsM(), d.nAntsTelescope(), 3);

        h.scalar("Nants_data", (long) d.nAntsData());
        h.scalar("Nbls", (long) d.nBls());
        h.scalar("Nblts", (long) d.nBlts());
        h.scalar("Nfreqs", (long) d.nFreqs());
        h.scalar("Npols", (long) d.nPols());
        h.scalar("Nspws", 1L);
        h.scalar("Ntimes", (long) d.nTimes());
        h.dataset("ant_1_array", toLong(blts.ant1()));
        h.dataset("ant_2_array", toLong(blts.ant2()));
        h.dataset("time_array", blts.timeJd());
        h.dataset("lst_array", blts.lstRad());
        h.dataset("integration_time", blts.integrationTimeS());
        h.dataset("uvw_array", blts.uvwM(), d.nBlts(), 3);

        h.dataset("freq_array", d.freqHz());
        h.dataset("channel_width", d.channelWidthHz());
        h.dataset("spw_array", new long[] {0});
        h.dataset("flex_spw_id_array", new long[d.nFreqs()]);
        h.scalar("flex_spw", false);
        h.dataset("polarization_array", toLong(d.polarizations()));

        h.scalar("telescope_frame", "itrs");
        Uvh5PhaseCentreFields.write(d.phaseCentres(), h);
        h.scalar("object_name", d.objectName());
        h.scalar("vis_units", d.visUnits());
        h.scalar("history", d.history());
        if (!d.extraKeywords().isEmpty()) {
            Hdf5Group extra = h.group("extra_keywords");
            for (Map.Entry<String, Object> e : d.extraKeywords().entrySet()) {
                writeKeyword(extra, e.getKey(), e.getValue());
            }
        }
    }

    private static void writeData(Uvh5Data d, Hdf5Group g) {
        long[] shape = {d.nBlts(), d.nFreqs(), d.nPols()};
        g.complexDataset("visdata", d.visibilities(), shape);
        g.dataset("flags", d.flags(), shape);
        g.dataset("nsamples", d.nsamples(), shape);
    }

    /** One extra keyword as a scalar or 1-D dataset, typed like h5py would store the Python value. */
    private static void writeKeyword(Hdf5Group g, String key, Object value) {
        if (value instanceof Double v) {
            g.scalar(key, v);
        } else if (value instanceof Float v) {
            g.scalar(key, v.doubleValue());
        } else if (value instanceof Long v) {
            g.scalar(key, v);
        } else if (value instanceof Integer v) {
            g.scalar(key, v.longValue());
        } else if (value instanceof Boolean v) {
            g.scalar(key, v);
        } else if (value instanceof String v) {
            g.scalar(key, v);
        } else if (value instanceof double[] v) {
            g.dataset(key, v);
        } else if (value instanceof long[] v) {
            g.dataset(key, v);
        } else if (value instanceof int[] v) {
            g.dataset(key, toLong(v));
        } else {
            throw new IllegalArgumentException("unsupported extra keyword type for '" + key + "': "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static long[] toLong(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }
}
