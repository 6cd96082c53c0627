package org.dsa110.contimg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dsa110.contimg.pipeline.ingest.IngestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What an operator's log shows: a WebSocket client going away is not a warning, a bad file in the incoming directory
 * is reported once (when it is dead-lettered), not on every poll, and the start is one summary line.
 */
class QuietLogsTest {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void capture() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
        root.setLevel(rootLevel);
    }

    private List<ILoggingEvent> atLeast(Level level, String text) {
        return new ArrayList<>(events.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .filter(e -> text == null || e.getFormattedMessage().contains(text)
                        || e.getLoggerName().toLowerCase().contains(text.toLowerCase()))
                .toList();
    }

    @Test
    void webSocketClientsThatGoAwayAreNoWarnings() throws Exception {
        TestHub hub = TestHub.shared();
        HttpClient http = HttpClient.newHttpClient();
        int clients = 30;
        CountDownLatch opened = new CountDownLatch(clients);
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + hub.port()
                    + "/api/ws/status"), new WebSocket.Listener() {
                        @Override
                        public void onOpen(WebSocket ws) {
                            opened.countDown();
                            ws.request(Long.MAX_VALUE);
                        }

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS));
        }
        assertTrue(opened.await(10, TimeUnit.SECONDS));
        // half close politely, half just drop the connection
        for (int i = 0; i < clients; i++) {
            if (i % 2 == 0) {
                sockets.get(i).sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            } else {
                sockets.get(i).abort();
            }
        }
        // a broadcast to the connections that went away
        hub.post("/api/test/streaming/broadcast", "{\"type\": \"test\", \"message\": \"after the clients left\"}");
        Thread.sleep(1500);
        assertEquals(List.of(), atLeast(Level.WARN, "websocket").stream().map(ILoggingEvent::getFormattedMessage)
                .toList());
    }

    @Test
    void aBadFileInIncomingIsReportedOnceNotOnEveryPoll() throws Exception {
        TestHub hub = TestHub.shared();
        IngestService ingest = hub.bean("ingestService", IngestService.class);
        Path incoming = hub.dataDir().resolve("incoming");
        Path dir = Files.createDirectories(incoming.resolve("2025-10-24T16:00:00_sb00.hdf5"));
        Path junk = Files.writeString(incoming.resolve("2025-10-24T16:10:00_sb01.hdf5"), "not HDF5");
        Files.setLastModifiedTime(junk, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 60_000));
        Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 60_000));
        for (int i = 0; i < 4; i++) {
            ingest.pollOnce();
        }
        assertEquals(1, atLeast(Level.WARN, dir.toString()).size(), () -> atLeast(Level.WARN, null).toString());
        assertEquals(1, atLeast(Level.WARN, junk.toString()).size(), () -> atLeast(Level.WARN, null).toString());
    }

    @Test
    void theStartIsOneSummaryLine() throws Exception {
        TestHub hub = TestHub.shared();
        String line = HubStartup.summary(hub.context());
        for (String part : List.of("pipeline routes", "API operations", "port " + hub.port(), "database h2 ",
                "data dir " + hub.dataDir().toAbsolutePath().normalize(), "started at ")) {
            assertTrue(line.contains(part), part + " missing from: " + line);
        }
        assertTrue(!line.contains("\n"));
    }
}
