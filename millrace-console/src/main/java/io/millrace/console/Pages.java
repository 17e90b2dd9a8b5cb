package io.millrace.console;

import io.millrace.console.HttpFront.Request;
import io.millrace.console.HttpFront.Response;
import org.apache.kafka.clients.admin.Admin;

/**
 * Which page answers which path. GET pages read the cluster and never change it; POST
 * {@code /actions/...} changes it only when actions are enabled, through the Admin client (so the
 * cluster's authorization applies), and only for a form sent from the console's own pages.
 * Thread-safe: holds no request state.
 */
final class Pages implements HttpFront.Handler {

    private final ClusterPage cluster;
    private final TopicPages topics;
    private final MessagesPage messages;
    private final GroupPages groups;
    private final ThroughputPage throughput;
    private final Actions actions;
    private final StaticFiles statics = new StaticFiles();
    private final boolean actionsEnabled;

    Pages(Admin admin, History history, ConsoleOptions options, MessageBrowser browser) {
        this.actionsEnabled = options.actionsEnabled();
        this.cluster = new ClusterPage(admin, actionsEnabled);
        this.topics = new TopicPages(admin, actionsEnabled);
        this.messages = new MessagesPage(admin, browser, actionsEnabled);
        this.groups = new GroupPages(admin, actionsEnabled);
        this.throughput = new ThroughputPage(history, actionsEnabled, options.sampleInterval().toMillis(),
                options.history().toMillis());
        this.actions = new Actions(admin);
    }

    @Override
    public Response handle(Request request) throws Exception {
        if (request.method().equals("POST")) {
            if (!request.path().startsWith("/actions/")) {
                return notFound(request);
            }
            if (!actionsEnabled) {
                return Response.html(403, new Html("Not allowed", false)
                        .error("This console is read-only: actions are enabled by millrace.console.actions.enable=true "
                                + "or --enable-actions.").finish());
            }
            if (request.origin() != null && !request.origin().equals("http://" + request.host())) {
                return Response.html(403, new Html("Not allowed", true)
                        .error("A form from another site (" + request.origin() + ") cannot act on this cluster.").finish());
            }
            return actions.handle(request);
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.html(405, new Html("Method not allowed", actionsEnabled).finish());
        }
        return switch (request.path()) {
            case "/" -> Response.redirect("/cluster");
            case "/cluster" -> cluster.render();
            case "/topics" -> topics.list();
            case "/topic" -> topics.one(request.param("name"));
            case "/messages" -> messages.render(request);
            case "/groups" -> groups.list();
            case "/group" -> groups.one(request.param("id"));
            case "/throughput" -> throughput.render();
            case "/api/throughput" -> throughput.json(request.param("topic"), request.param("series"));
            case "/api/lag" -> throughput.lagJson(request.param("group"));
            default -> request.path().startsWith("/static/") ? statics.serve(request.path().substring(8)) : notFound(request);
        };
    }

    private Response notFound(Request request) {
        return Response.html(404, new Html("Not found", actionsEnabled).error("Nothing at " + request.path()).finish());
    }
}
