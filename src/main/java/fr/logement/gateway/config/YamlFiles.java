package fr.logement.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a configuration file of config/ as YAML; an unreadable one stops start-up naming the file. */
public final class YamlFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlFiles() {}

    /** The file's root node (null for an empty file). */
    public static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigurationException(file.getFileName().toString(), "(file)", "cannot be read as YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
