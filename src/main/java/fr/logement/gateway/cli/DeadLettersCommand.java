package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.operator.OperatorToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;

/** Lists or replays the dead letters of the running gateway, through its loopback operator endpoints. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Ask the running gateway for its dead letters (list) or replay one to its queue (replay MESSAGE_ID), "
                + "with the operator token of the data directory. Exit 0 done, 1 refused or not found.")
final class DeadLettersCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Parameters(index = "0", paramLabel = "ACTION", description = "list or replay")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE_ID", description = "for replay: the message id")
    String messageId;

    @Option(names = "--operator", description = "Who acts, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        String base = "http://" + settings.get("gateway.management.host", "127.0.0.1") + ":"
                + settings.intValue("gateway.management.port") + "/operator/dead-letters";
        HttpRequest.Builder b;
        if ("list".equals(action)) {
            b = HttpRequest.newBuilder(URI.create(base)).GET();
        } else if ("replay".equals(action) && messageId != null) {
            b = HttpRequest.newBuilder(URI.create(base + "/replay?messageId=" + messageId))
                    .POST(HttpRequest.BodyPublishers.noBody());
        } else {
            System.err.println("error: ACTION must be 'list' or 'replay MESSAGE_ID'");
            return 1;
        }
        String token = OperatorToken.read(settings.dataDir());
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.header("Authorization", "Bearer " + token)
                .header("X-Operator", operator).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.body());
        return r.statusCode() == 200 ? 0 : 1;
    }
}
