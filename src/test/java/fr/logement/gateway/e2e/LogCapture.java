package fr.logement.gateway.e2e;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Captures every log event (message and stack trace) at DEBUG while open, for tests that look for leaks. */
final class LogCapture implements AutoCloseable {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    private final String name = "capture-" + System.nanoTime();

    LogCapture() {
        AbstractAppender capture = new AbstractAppender(name, null, null, false, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder s = new StringBuilder(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(w));
                    s.append('\n').append(w);
                }
                lines.add(s.toString());
            }
        };
        capture.start();
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.getConfiguration().getRootLogger().setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    String all() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        ctx.getConfiguration().getRootLogger().removeAppender(name);
        ctx.getConfiguration().getRootLogger().setLevel(Level.INFO);
        ctx.updateLoggers();
    }
}
