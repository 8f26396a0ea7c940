package fr.logement.gateway.config;

/** A configuration error that stops start-up, naming the file, the entry and the problem. */
public class ConfigurationException extends RuntimeException {
    private final String file;
    private final String entry;
    private final String problem;

    public ConfigurationException(String file, String entry, String problem) {
        super(file + ": " + entry + ": " + problem);
        this.file = file;
        this.entry = entry;
        this.problem = problem;
    }

    public String file() { return file; }
    public String entry() { return entry; }
    public String problem() { return problem; }
}
