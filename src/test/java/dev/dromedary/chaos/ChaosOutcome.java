package dev.dromedary.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one round of a fault left: rows of the files missing from PostgreSQL, Elasticsearch or the export, rows
 * found twice, keys in one of PostgreSQL and Elasticsearch only, jobs run twice, counts that differ from the files',
 * jobs retried by hand, and the seconds from the fault's end until the import went on.
 */
record ChaosOutcome(String fault, int round, long rowsLost, long rowsDuplicated, long keyMismatches, long jobsRunTwice,
                    List<String> inexact, int retriedByHand, double recoverySeconds, String examples, List<String> notes) {

    boolean clean() {
        return rowsLost == 0 && rowsDuplicated == 0 && keyMismatches == 0 && jobsRunTwice == 0 && inexact.isEmpty();
    }

    String describe() {
        return String.format(Locale.ROOT, "%s, round %d: %d rows lost, %d duplicated, %d key mismatches, %d jobs run twice%s; "
                + "inexact: %s; notes: %s", fault, round, rowsLost, rowsDuplicated, keyMismatches, jobsRunTwice, examples,
                inexact, notes);
    }

    /** The outcomes of a run, and the table that sums them up by fault. */
    static final class Table {

        private final List<ChaosOutcome> outcomes = new ArrayList<>();

        synchronized void add(ChaosOutcome outcome) {
            outcomes.add(outcome);
            System.out.println("CHAOS ROUND " + outcome.describe() + String.format(Locale.ROOT, "; recovered in %.1f s",
                    outcome.recoverySeconds()));
        }

        synchronized List<ChaosOutcome> of(String fault) {
            return outcomes.stream().filter(outcome -> outcome.fault().equals(fault)).toList();
        }

        /** The table, a line per fault, in Markdown. */
        synchronized String render(String heading) {
            Map<String, List<ChaosOutcome>> byFault = new LinkedHashMap<>();
            outcomes.forEach(outcome -> byFault.computeIfAbsent(outcome.fault(), fault -> new ArrayList<>()).add(outcome));
            StringBuilder table = new StringBuilder(heading).append("\n\n")
                    .append("| fault | rounds | rows lost | rows duplicated | PG/ES key mismatches | jobs run twice "
                            + "| counts exact | retried by hand | recovery s (median, max) |\n")
                    .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            byFault.forEach((fault, rounds) -> table.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d/%d | %d | %s |%n",
                    fault, rounds.size(), sum(rounds, ChaosOutcome::rowsLost), sum(rounds, ChaosOutcome::rowsDuplicated),
                    sum(rounds, ChaosOutcome::keyMismatches), sum(rounds, ChaosOutcome::jobsRunTwice),
                    rounds.stream().filter(round -> round.inexact().isEmpty()).count(), rounds.size(),
                    rounds.stream().mapToInt(ChaosOutcome::retriedByHand).sum(), recovery(rounds))));
            return table.toString();
        }

        void write(Path file, String heading) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, render(heading));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long sum(List<ChaosOutcome> rounds, java.util.function.ToLongFunction<ChaosOutcome> figure) {
            return rounds.stream().mapToLong(figure).sum();
        }

        private static String recovery(List<ChaosOutcome> rounds) {
            double[] seconds = rounds.stream().mapToDouble(ChaosOutcome::recoverySeconds).filter(s -> !Double.isNaN(s))
                    .sorted().toArray();
            if (seconds.length == 0) {
                return "none";
            }
            double median = seconds.length % 2 == 1 ? seconds[seconds.length / 2]
                    : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2;
            String missing = seconds.length < rounds.size() ? " (" + (rounds.size() - seconds.length) + " never)" : "";
            return String.format(Locale.ROOT, "%.1f, %.1f%s", median, seconds[seconds.length - 1], missing);
        }
    }
}
