package fr.logement.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The gateway's settings: config/application.properties, overridden by {@code -Dkey=value} system properties and
 * by values given at start (tests, command line). The same values are handed to Camel for the routes' placeholders.
 */
public final class GatewaySettings {
    private final Path configDir;
    private final Map<String, String> values;

    private GatewaySettings(Path configDir, Map<String, String> values) {
        this.configDir = configDir;
        this.values = values;
    }

    public static GatewaySettings load(Path configDir, Map<String, String> overrides) {
        Path file = configDir.resolve("application.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigurationException("application.properties", "(file)", "cannot be read from " + configDir.toAbsolutePath()
                    + " (run from the repository root, or pass --config-dir)");
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("gateway.") || k.startsWith("camel.") || k.startsWith("sim."))
                .forEach(k -> values.put(k, System.getProperty(k)));
        values.putAll(overrides);
        return new GatewaySettings(configDir, values);
    }

    public Path configDir() {
        return configDir;
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    public String get(String key) {
        return values.get(key);
    }

    public String get(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public String require(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) throw new ConfigurationException("application.properties", key, "required");
        return v;
    }

    public int intValue(String key) {
        return (int) longValue(key);
    }

    public long longValue(String key) {
        String v = require(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("application.properties", key, "must be a whole number");
        }
    }

    public double doubleValue(String key) {
        String v = require(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("application.properties", key, "must be a number");
        }
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(get(key, "false"));
    }

    /** The data directory (broker journal, H2 file, documents, keys, logs), created if missing. */
    public Path dataDir() {
        Path d = Path.of(get("gateway.data-dir", "data")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new ConfigurationException("application.properties", "gateway.data-dir", "cannot create " + d);
        }
        return d;
    }
}
