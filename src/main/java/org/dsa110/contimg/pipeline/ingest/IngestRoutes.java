package org.dsa110.contimg.pipeline.ingest;

import org.apache.camel.builder.RouteBuilder;

/**
 * Streaming ingest routes: the Quartz poll of the incoming directory and the claim loop (both built by
 * {@link StreamingService} so their intervals follow the stored configuration), the claim step that hands groups
 * to the engine on {@code seda:pipeline.group}, and {@code direct:ingest.file}, the DLQ resubmit target that
 * re-validates and records one file (body = its path).
 */
public class IngestRoutes extends RouteBuilder {
    public static final String PIPELINE_GROUP = "seda:pipeline.group";

    @Override
    public void configure() {
        StreamingService streaming = bean("streamingService", StreamingService.class);
        GroupClaimer claimer = bean("groupClaimer", GroupClaimer.class);
        IngestService ingest = bean("ingestService", IngestService.class);

        streaming.defineTimedRoutes(this, streaming.config());

        from(StreamingService.CLAIM_NOW).routeId("ingest.claim-now")
                .bean(claimer, "claimAvailable")
                .split(body())
                    .to(PIPELINE_GROUP)
                .end();

        from(IngestDeadLetters.RESUBMIT_FILE).routeId("ingest.file")
                .bean(ingest, "recordOrFail");
    }

    private <T> T bean(String name, Class<T> type) {
        T b = getCamelContext().getRegistry().lookupByNameAndType(name, type);
        if (b == null) {
            throw new IllegalStateException("missing bean " + name);
        }
        return b;
    }
}
