package org.dsa110.contimg.qa;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The QA sweep: every {@code hub.qa.sweep.seconds} (default 30) image QA runs for images registered since the last
 * sweep (at most {@code hub.qa.sweep.batch} per run), and files dropped into the QA root by other tools are
 * registered as QA artifacts. A failed run is logged; the next runs as usual.
 */
public class QaRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "QA sweep failed: ${exception.message}");
        long seconds = getCamelContext().getPropertiesComponent().resolveProperty("hub.qa.sweep.seconds")
                .map(String::trim).map(Long::parseLong).orElse(30L);
        int batch = getCamelContext().getPropertiesComponent().resolveProperty("hub.qa.sweep.batch")
                .map(String::trim).map(Integer::parseInt).orElse(20);
        if (seconds < 1) {
            throw new IllegalArgumentException("hub.qa.sweep.seconds must be at least 1");
        }
        from("timer:qa.sweep?delay=" + seconds * 1000 + "&period=" + seconds * 1000).routeId("qa.sweep")
                .process(e -> e.getMessage().setBody(e.getContext().getRegistry()
                        .lookupByNameAndType("imageQa", ImageQa.class).sweep(batch)))
                .filter(simple("${body} > 0")) // simple: Hawtio's YAML view shows it (a builder predicate dumps empty)
                    .log(LoggingLevel.INFO, "image QA ran for ${body} new image(s)")
                .end()
                .process(e -> e.getContext().getRegistry().lookupByNameAndType("qaArtifacts", QaArtifacts.class)
                        .scan(10000));
    }
}
