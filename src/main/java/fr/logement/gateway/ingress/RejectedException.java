package fr.logement.gateway.ingress;

import java.util.List;

/**
 * Refuses an input with an HTTP status (400, 401, 403, 409, 413…) and every problem found; the route turns it into
 * the answer to the partner and an audit row, and nothing else is stored or forwarded.
 */
public class RejectedException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<Problem> problems;

    public RejectedException(int status, String code, List<Problem> problems) {
        super(code + ": " + problems.size() + " problem(s)");
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    public RejectedException(int status, String code, String path, String reason) {
        this(status, code, List.of(new Problem(path, reason)));
    }

    public int status() { return status; }
    public String code() { return code; }
    public List<Problem> problems() { return problems; }
}
