package fr.logement.gateway.ingress;

import org.apache.camel.Message;

import java.util.Set;
import java.util.TreeSet;

/**
 * Headers whose names start with "Camel" are instructions to Camel's components. The HTTP consumer sets the few
 * listed here itself, from the request line; any other one a caller sent is dropped at the door.
 */
public final class CamelHeaders {
    private static final Set<String> SET_BY_THE_CONSUMER = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        SET_BY_THE_CONSUMER.addAll(Set.of("CamelHttpMethod", "CamelHttpUri", "CamelHttpPath", "CamelHttpQuery"));
    }

    private CamelHeaders() {}

    /** Removes every header named "Camel…" (in any case) but those the HTTP consumer set. */
    public static void dropSentByCaller(Message message) {
        message.getHeaders().keySet().removeIf(name -> name.regionMatches(true, 0, "camel", 0, 5)
                && !SET_BY_THE_CONSUMER.contains(name));
    }
}
