package latte.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code latte} command. Subcommands are registered here, one line each; the {@code ./latte}
 * launcher builds what is stale and starts this class with the right JVM flags.
 */
@Command(name = "latte",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Latent-space model-based reinforcement learning in pure Java.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                DreamCommand.class,
                TemperatureCommand.class,
                PlotCommand.class,
                ResultsCommand.class,
                SweepCommand.class,
                WorkerCommand.class,
                OpenLoopCommand.class,
                OodCommand.class,
                ServeCommand.class,
                EnvsCommand.class,
        },
        footer = {
                "",
                "Also: ./latte bench <gemm|elementwise|...>   run the JMH benchmarks with their peers.",
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Where the heavy kernels run: {@code auto} picks the GPU backend when one is usable, else the
     * CPU; {@code cpu} or {@code cuda} force one ({@code cuda} without a usable GPU is an error
     * that says why). Must be applied before anything touches {@link latte.core.Backends#current()}.
     */
    @CommandLine.Option(names = "--device", scope = CommandLine.ScopeType.INHERIT, paramLabel = "auto|cpu|cuda",
            description = "Where heavy kernels run: auto (GPU if usable, else CPU), cpu or cuda. Default: auto.")
    void device(String device) {
        String d = device.trim().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("auto", "cpu", "cuda").contains(d))
            throw new CommandLine.ParameterException(spec.commandLine(), "--device: '" + device + "' is not one of auto, cpu, cuda");
        if (d.equals("auto")) return;
        try {
            latte.core.Backends.choose(d, latte.core.Backends.discover()); // fail now, saying why (e.g. no CUDA driver)
        } catch (IllegalArgumentException e) {
            throw new DeviceUnavailable(spec.commandLine(), "--device " + d + ": " + e.getMessage().replace("latte.backend=" + d + ": ", ""));
        }
        System.setProperty("latte.backend", d);
    }

    /** A device that was asked for and cannot be used: the reason is the whole answer, not the usage page. */
    static final class DeviceUnavailable extends CommandLine.ParameterException {
        DeviceUnavailable(CommandLine cl, String message) {
            super(cl, message);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer(agentsFooter());
        var usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            if (!(e instanceof DeviceUnavailable)) return usage.handleParseException(e, args);
            e.getCommandLine().getErr().println("latte: " + e.getMessage());
            e.getCommandLine().getErr().flush();
            return 2;
        });
        // A user's mistake (bad name, bad file, diverged training) is one clear line and exit code 2, not a stack trace.
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException || e instanceof latte.models.loop.Diverged) {
                cmd.getErr().println("latte " + cmd.getCommandName() + ": " + e.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cl;
    }

    /** The registered agent families, a line each, for train's --help. */
    private static String[] agentsFooter() {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("", "Agents:"));
        for (var f : latte.models.family.Families.all())
            lines.add(String.format(java.util.Locale.ROOT, "  %-9s %s (presets: %s)", f.name(), f.summary(), String.join(", ", f.presets())));
        return lines.toArray(String[]::new);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"latte " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
