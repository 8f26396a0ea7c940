package fr.logement.gateway.registry;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The inbox of departmental shared files: {@code <data>/inbox/registry/<sender id>/FILE.csv} with its signature
 * {@code FILE.csv.p7s} next to it (the signature is written last, so a file is taken only once both are there).
 * Each file is imported, then moved to {@code done/}; a quarantined one is moved by the import itself.
 */
public final class SharedFileInbox {
    private static final Logger LOG = LogManager.getLogger(SharedFileInbox.class);
    private final Path inbox;
    private final SharedFileImport importer;

    public SharedFileInbox(Path dataDir, SharedFileImport importer) {
        this.inbox = dataDir.resolve("inbox/registry");
        this.importer = importer;
    }

    public Path folderOf(String senderId) {
        return inbox.resolve(senderId);
    }

    /** Imports every complete file waiting; returns their reports. */
    public synchronized List<ImportReport> poll() throws IOException {
        List<ImportReport> reports = new ArrayList<>();
        if (!Files.isDirectory(inbox)) return reports;
        List<Path> senders;
        try (Stream<Path> s = Files.list(inbox)) {
            senders = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path sender : senders) {
            List<Path> files;
            try (Stream<Path> s = Files.list(sender)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                        .filter(p -> Files.exists(SharedFileImport.signatureOf(p))).sorted().toList();
            }
            for (Path f : files) {
                ImportReport r = importer.run(f, sender.getFileName().toString(), new SharedFileImport.Progress() { });
                LOG.info("shared file {} from {}: {} ({} read, {} rejected)", f.getFileName(), sender.getFileName(),
                        r.outcome(), r.read(), r.rejected());
                if (Files.exists(f)) {
                    Path done = sender.resolve("done");
                    Files.createDirectories(done);
                    Files.move(f, done.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    Path sig = SharedFileImport.signatureOf(f);
                    Files.move(sig, done.resolve(sig.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
                reports.add(r);
            }
        }
        return reports;
    }
}
