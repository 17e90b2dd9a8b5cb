package io.millrace.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the JDK's {@link HttpServer} on one address, turning each exchange into a
 * {@link Request} for {@link Pages} and its {@link Response} back into bytes.
 *
 * <p>Threads: a pool of {@code console-http-N} daemon threads answers requests.
 */
final class HttpFront implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final int THREADS = 4;
    private static final int MAX_FORM_BYTES = 64 * 1024;

    /** An HTTP request: method, path, query and form parameters, and the headers that matter. */
    record Request(String method, String path, Map<String, String> params, String host, String origin) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    /** An HTTP response; {@code location} is set for redirects. */
    record Response(int status, String contentType, byte[] body, String location) {
        static Response html(int status, String page) {
            return new Response(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), null);
        }

        static Response json(String json) {
            return new Response(200, "application/json", json.getBytes(StandardCharsets.UTF_8), null);
        }

        static Response redirect(String location) {
            return new Response(303, "text/plain", new byte[0], location);
        }
    }

    /** What answers requests. */
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService pool;

    private HttpFront(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    static HttpFront bind(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "console-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        return new HttpFront(server, pool);
    }

    void serve(Handler handler) {
        server.createContext("/", exchange -> exchange(exchange, handler));
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private static void exchange(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = handler.handle(request(exchange));
            } catch (Exception e) {
                LOG.debug("Console request {} failed", exchange.getRequestURI(), e);
                response = Response.html(500, new Html("Error", false).error(AdminCalls.describe(e)).finish());
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (response.location() != null) {
                exchange.getResponseHeaders().set("Location", response.location());
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                exchange.getResponseBody().write(response.body());
            }
        }
    }

    private static Request request(HttpExchange exchange) throws IOException {
        Map<String, String> params = new HashMap<>();
        parse(exchange.getRequestURI().getRawQuery(), params);
        if (exchange.getRequestMethod().equals("POST")) {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] form = body.readNBytes(MAX_FORM_BYTES);
                parse(new String(form, StandardCharsets.UTF_8), params);
            }
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        return new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), params,
                host == null ? "" : host, origin);
    }

    private static void parse(String query, Map<String, String> into) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                into.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: the parameter is left out
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
