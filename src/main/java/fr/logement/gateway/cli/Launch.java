package fr.logement.gateway.cli;

import fr.logement.gateway.config.GatewaySettings;

/** Loads the settings for a command and points the log files at the data directory before anything logs. */
final class Launch {
    private Launch() {}

    static GatewaySettings settings(GatewayCommand.StartOptions options) {
        GatewaySettings settings = GatewaySettings.load(options.configDir, options.settings());
        System.setProperty("gateway.log.dir", settings.dataDir().resolve("logs").toString());
        return settings;
    }
}
