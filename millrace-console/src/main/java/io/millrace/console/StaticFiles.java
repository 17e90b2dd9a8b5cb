package io.millrace.console;

import io.millrace.console.HttpFront.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The console's script and style sheet, and Chart.js from its webjar, all read once from the
 * class path (nothing from the network). Thread-safe: immutable after construction.
 */
final class StaticFiles {

    private static final String WEBJAR_PROPERTIES = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private final Map<String, Response> files;

    StaticFiles() {
        String chartJs = "/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.js";
        files = Map.of(
                "chart.umd.js", file(chartJs, "text/javascript"),
                "console.js", file("/io/millrace/console/static/console.js", "text/javascript"),
                "console.css", file("/io/millrace/console/static/console.css", "text/css"));
    }

    Response serve(String name) {
        Response r = files.get(name);
        return r != null ? r : Response.html(404, new Html("Not found", false).error("No file " + name).finish());
    }

    private static String chartJsVersion() {
        Properties p = new Properties();
        try (InputStream in = StaticFiles.class.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js (org.webjars.npm:chart.js) is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static Response file(String resource, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new Response(200, type + "; charset=utf-8", in.readAllBytes(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
