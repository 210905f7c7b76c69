package dev.dromedary.launcher;

import dev.dromedary.app.Services;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.DatasetInference;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.imports.RuleCheck;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.formats.ReadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./dromedary dataset infer FILE|s3://bucket/key --name NAME}: proposes a dataset from a sample of the
 * file and writes its definition and migration under the first of DATASETS_DIRS, for a person to read and
 * commit; it says what it decided and why, and overwrites nothing without {@code --force}.
 */
final class DatasetCommand {

    static final String USAGE = "Usage: ./dromedary dataset infer FILE|s3://BUCKET/KEY --name NAME [--rows N] [--force]\n"
            + "         [--format csv|xlsx|jsonl] [--delimiter D] [--encoding E] [--sheet S] [--dir DIR]\n"
            + "       ./dromedary dataset check NAME FILE|s3://BUCKET/KEY [--rows N]\n"
            + "         [--format csv|xlsx|jsonl] [--delimiter D] [--encoding E] [--sheet S]\n";
    private static final int MAX_SAMPLE_ROWS = 1_000_000;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private final PrintStream out;
    private final Settings settings;

    DatasetCommand(PrintStream out, Settings settings) {
        this.out = out;
        this.settings = settings;
    }

    int run(List<String> args) throws IOException {
        if (args.size() >= 3 && args.get(0).equals("check")) {
            return check(args.get(1), args.get(2), args.subList(3, args.size()));
        }
        if (args.size() < 2 || !args.get(0).equals("infer")) {
            out.print(USAGE);
            return 2;
        }
        String source = args.get(1);
        String name = null;
        int rows = 10_000;
        boolean force = false;
        Path dir = Path.of(settings.list("DATASETS_DIRS").get(0));
        Map<String, Object> options = new HashMap<>();
        for (int i = 2; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--force")) {
                force = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                out.print(USAGE);
                return 2;
            }
            String value = args.get(++i);
            switch (flag) {
                case "--name" -> name = value;
                case "--rows" -> {
                    rows = value.matches("\\d{1,7}") ? Integer.parseInt(value) : 0;
                    if (rows < 1 || rows > MAX_SAMPLE_ROWS) {
                        out.println("dromedary dataset infer: --rows is a whole number from 1 to " + MAX_SAMPLE_ROWS);
                        return 2;
                    }
                }
                case "--dir" -> dir = Path.of(value);
                case "--format", "--delimiter", "--encoding" -> options.put(flag.substring(2), value);
                case "--sheet" -> options.put("sheet", value);
                default -> {
                    out.print(USAGE);
                    return 2;
                }
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            out.println("dromedary dataset infer: --name is the dataset's name: lower-case letters, digits and _, starting with a letter");
            return 2;
        }
        Path definition = dir.resolve(name + ".yaml");
        if (Files.exists(definition) && !force) {
            out.println("dromedary dataset infer: " + definition + " exists; --force writes over it");
            return 1;
        }
        ReadOptions read;
        try {
            read = ReadOptions.of(options);
        } catch (IllegalArgumentException e) {
            out.println("dromedary dataset infer: " + e.getMessage().replace("job_data.", "--"));
            return 2;
        }
        DatasetInference.Proposal proposal;
        try (InputStream in = open(source)) {
            proposal = DatasetInference.infer(in, source, name, rows, read);
        } catch (java.nio.file.NoSuchFileException e) {
            out.println("dromedary dataset infer: there is no file " + source);
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println("dromedary dataset infer: " + source + ": " + e.getMessage());
            return 1;
        }
        List<Path> allDirs = new java.util.ArrayList<>(settings.list("DATASETS_DIRS").stream().map(Path::of).toList());
        allDirs.add(dir);
        Path migration = migrationPath(dir.resolve("migrations"), allDirs, name);
        Files.createDirectories(migration.getParent());
        Files.writeString(definition, proposal.definition(), StandardCharsets.UTF_8);
        Files.writeString(migration, proposal.migration(), StandardCharsets.UTF_8);

        out.println("Read " + proposal.rowsSampled() + " rows of " + source + " as " + describe(proposal));
        for (DatasetInference.ColumnGuess column : proposal.columns()) {
            out.printf("  %-24s %-9s %s%n", column.name(), column.type().definitionName(), column.why());
        }
        out.println("Key: " + proposal.key() + " (" + proposal.keyWhy() + ")");
        out.println("Facets: " + (proposal.facets().isEmpty() ? "none" : String.join(", ", proposal.facets())) + " (" + proposal.facetsWhy() + ")");
        out.println("Wrote " + definition + " and " + migration + ": read them, then commit them; the next start creates the table and index");
        return 0;
    }

    /** Runs the dataset's rules over the file's first rows, and prints what would land, what would not, and why. */
    private int check(String name, String source, List<String> flags) throws IOException {
        long rows = 100_000;
        Map<String, Object> options = new HashMap<>();
        for (int i = 0; i < flags.size(); i += 2) {
            if (i + 1 >= flags.size()) {
                out.print(USAGE);
                return 2;
            }
            String value = flags.get(i + 1);
            switch (flags.get(i)) {
                case "--rows" -> {
                    rows = value.matches("\\d{1,7}") ? Long.parseLong(value) : 0;
                    if (rows < 1 || rows > MAX_SAMPLE_ROWS) {
                        out.println("dromedary dataset check: --rows is a whole number from 1 to " + MAX_SAMPLE_ROWS);
                        return 2;
                    }
                }
                case "--format", "--delimiter", "--encoding", "--sheet" -> options.put(flags.get(i).substring(2), value);
                default -> {
                    out.print(USAGE);
                    return 2;
                }
            }
        }
        Datasets datasets;
        try {
            datasets = Datasets.load(settings.list("DATASETS_DIRS").stream().map(Path::of).toList(), "");
        } catch (IOException e) {
            out.println("dromedary dataset check: " + e.getMessage());
            return 1;
        }
        if (!datasets.has(name)) {
            out.println("dromedary dataset check: there is no dataset " + name + "; the datasets are " + String.join(", ", datasets.names()));
            return 2;
        }
        ReadOptions read;
        try {
            read = ReadOptions.of(options);
        } catch (IllegalArgumentException e) {
            out.println("dromedary dataset check: " + e.getMessage().replace("job_data.", "--"));
            return 2;
        }
        RuleCheck.Outcome outcome;
        try (InputStream in = open(source)) {
            outcome = RuleCheck.run(datasets.get(name), in, source, read, rows, RecordLimits.DEFAULT);
        } catch (java.nio.file.NoSuchFileException e) {
            out.println("dromedary dataset check: there is no file " + source);
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println("dromedary dataset check: " + source + ": " + e.getMessage());
            return 1;
        }
        out.printf("Checked %d rows of %s against %s: %d would land, %d would be dead letters, %d dropped by a rule%n",
                outcome.rowsRead(), source, name, outcome.rowsValid(), outcome.rowsFailed(), outcome.rowsDropped());
        if (!outcome.unknownColumns().isEmpty()) {
            out.println("Columns " + name + " does not have, ignored: " + String.join(", ", outcome.unknownColumns()));
        }
        if (!outcome.byRule().isEmpty()) {
            out.println("By rule:");
            outcome.byRule().forEach((rule, count) -> out.printf("  %-20s %d%n", rule, count));
        }
        if (!outcome.byReason().isEmpty()) {
            out.println("By reason:");
            outcome.byReason().forEach((reason, count) -> out.printf("  %6d  %s%n", count, reason));
            out.println("First rows that would not land:");
            outcome.examples().forEach(example -> out.printf("  row %s: %s%n", example.get("row"), example.get("reason")));
        }
        return outcome.rowsFailed() == 0 ? 0 : 3;
    }

    private InputStream open(String source) throws IOException {
        if (!source.startsWith("s3://")) {
            return Files.newInputStream(Path.of(source));
        }
        String path = source.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IOException(source + " is not s3://BUCKET/KEY");
        }
        S3Client s3 = Services.s3ClientOf(settings);
        InputStream object = s3.getObject(get -> get.bucket(path.substring(0, slash)).key(path.substring(slash + 1)));
        return new java.io.FilterInputStream(object) {
            @Override
            public void close() throws IOException {
                // the sample is read: the rest of the object is not wanted
                ((software.amazon.awssdk.core.ResponseInputStream<?>) in).abort();
                super.close();
                s3.close();
            }
        };
    }

    /**
     * The dataset's migration: the one written for it before, or the version after the highest under any of
     * the datasets directories (their migrations share one history, so a version is used once).
     */
    private static Path migrationPath(Path migrations, List<Path> datasetDirs, String name) throws IOException {
        int highest = 0;
        for (Path dir : datasetDirs) {
            Path each = dir.resolve("migrations");
            if (!Files.isDirectory(each)) {
                continue;
            }
            try (Stream<Path> files = Files.list(each)) {
                for (Path file : files.toList()) {
                    Matcher matcher = MIGRATION.matcher(file.getFileName().toString());
                    if (matcher.matches()) {
                        if (matcher.group(2).equals(name) && each.equals(migrations)) {
                            return file;
                        }
                        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
                    }
                }
            }
        }
        return migrations.resolve("V" + (highest + 1) + "__" + name + ".sql");
    }

    private static String describe(DatasetInference.Proposal proposal) {
        var dialect = proposal.readAs();
        StringBuilder how = new StringBuilder(dialect.format());
        if (dialect.gzip()) {
            how.append(", gzipped");
        }
        if (dialect.encoding() != null) {
            how.append(", ").append(dialect.encoding());
        }
        if (dialect.delimiter() != null) {
            how.append(", delimiter ").append(dialect.delimiter() == '\t' ? "tab" : "'" + dialect.delimiter() + "'");
        }
        if (dialect.sheet() != null) {
            how.append(", sheet ").append(dialect.sheet());
        }
        return how.toString();
    }
}
