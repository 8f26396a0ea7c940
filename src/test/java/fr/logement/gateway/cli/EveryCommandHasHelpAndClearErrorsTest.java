package fr.logement.gateway.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operator command answers --help with its usage, and a wrong option with a message naming it. */
class EveryCommandHasHelpAndClearErrorsTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = GatewayCommand.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void everyCommandHasHelp() {
        var commands = new CommandLine(new GatewayCommand()).getSubcommands();
        assertTrue(commands.size() >= 15, "all the commands are registered: " + commands.keySet());
        for (String name : commands.keySet()) {
            if (name.equals("help")) continue;
            CommandLine sub = commands.get(name);
            for (var nested : sub.getSubcommands().keySet()) {
                Run r = run(name, nested, "--help");
                assertEquals(0, r.exit(), name + " " + nested + " --help");
                assertTrue(r.out().contains("Usage: gateway " + name + " " + nested), r.out());
            }
            Run r = run(name, "--help");
            assertEquals(0, r.exit(), name + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: gateway " + name), name + ": " + r.out());
            String description = String.join(" ", sub.getCommandSpec().usageMessage().description());
            assertFalse(description.isBlank(), name + " says what it does");
        }
    }

    @Test
    void aWrongOptionIsNamed() {
        for (String[] args : new String[][]{{"purge"}, {"subject-export", "--nur", "94A1"}, {"audit-verify"},
                {"erase", "--nur", "94A1"}, {"rotate-certificate", "--partner", "als", "--certificate", "x.pem"}}) {
            String name = args[0];
            String[] withWrong = java.util.Arrays.copyOf(args, args.length + 1);
            withWrong[args.length] = "--no-such-option";
            Run r = run(withWrong);
            assertEquals(2, r.exit(), name + ": " + r.err());
            assertTrue(r.err().contains("--no-such-option"), name + ": " + r.err());
            assertTrue(r.err().contains("Usage:"), "the usage follows the error");
        }
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        Run r = run("subject-export");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--nur"), r.err());
    }
}
