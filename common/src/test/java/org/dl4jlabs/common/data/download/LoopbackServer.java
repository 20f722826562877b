package org.dl4jlabs.common.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that serves what a test tells it to, so downloads are tested without
 * the internet. Paths nobody registered answer 404. Every request is recorded.
 */
public final class LoopbackServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String path, String range) {
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Range")));
            try {
                handlers.getOrDefault(path, LoopbackServer::notFound).handle(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The base address; a path registered as "/x/f" is at {@code base().resolve("x/f")}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public List<Request> requests() {
        return requests;
    }

    /** Serves {@code content} at {@code path}, answering Range requests with just the bytes asked for. */
    public void serve(String path, byte[] content) {
        handlers.put(path, exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range == null) {
                send(exchange, 200, content, 0);
                return;
            }
            int from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            send(exchange, 206, content, from);
        });
    }

    /** Serves {@code content} at {@code path} whole, the way servers that ignore Range do. */
    public void serveIgnoringRange(String path, byte[] content) {
        handlers.put(path, exchange -> send(exchange, 200, content, 0));
    }

    /** Announces all of {@code content} but sends only its first {@code sent} bytes, then goes silent. */
    public void serveThenStall(String path, byte[] content, int sent) {
        handlers.put(path, exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            OutputStream body = exchange.getResponseBody();
            body.write(content, 0, sent);
            body.flush();
            closing.await();
        });
    }

    /** Answers a Range request with the bytes from the start, under a Content-Range that says so. */
    public void serveWithWrongRange(String path, byte[] content) {
        handlers.put(path, exchange -> {
            if (exchange.getRequestHeaders().getFirst("Range") == null) {
                send(exchange, 200, content, 0);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes 0-" + (content.length - 1) + "/" + content.length);
            send(exchange, 206, content, 0);
        });
    }

    /** Sends {@code content} without a length, then the same again and again: a body that never ends. */
    public void serveEndlessly(String path, byte[] content) {
        handlers.put(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            try {
                while (closing.getCount() > 0) {
                    body.write(content);
                }
            } catch (IOException clientWentAway) {
                // the downloader stopped reading, as it should
            }
        });
    }

    /** Sends {@code content} {@code bytesPerTick} bytes at a time, pausing {@code tickMillis} between: a trickle. */
    public void serveTrickling(String path, byte[] content, int bytesPerTick, long tickMillis) {
        handlers.put(path, exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            OutputStream body = exchange.getResponseBody();
            try {
                for (int from = 0; from < content.length && closing.getCount() > 0; from += bytesPerTick) {
                    body.write(content, from, Math.min(bytesPerTick, content.length - from));
                    body.flush();
                    Thread.sleep(tickMillis);
                }
            } catch (IOException clientWentAway) {
                // the downloader gave up, as it should
            }
        });
    }

    /** Answers every request for {@code path} with a redirect to itself. */
    public void redirectToItself(String path) {
        handlers.put(path, exchange -> {
            exchange.getResponseHeaders().add("Location", path);
            exchange.sendResponseHeaders(302, -1);
        });
    }

    /** Serves {@code content} whole, and answers any Range request with 416 Range Not Satisfiable. */
    public void serveRefusingRanges(String path, byte[] content) {
        handlers.put(path, exchange -> {
            if (exchange.getRequestHeaders().getFirst("Range") != null) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            send(exchange, 200, content, 0);
        });
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(404, -1);
    }

    private static void send(HttpExchange exchange, int status, byte[] content, int from) throws IOException {
        exchange.sendResponseHeaders(status, content.length - from);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(content, from, content.length - from);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
