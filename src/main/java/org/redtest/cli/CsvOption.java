package org.redtest.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The shared {@code --csv} flag: the command's rows as CSV on standard output, one header line, numbers at full
 * precision, missing values empty (what pandas' read_csv and R's read.csv read as NaN / NA).
 */
final class CsvOption {
    @Option(names = "--csv", description = "Print comma-separated values (one header line) instead of the table.")
    boolean requested;

    static void print(PrintWriter out, List<String> headers, List<List<Object>> rows) {
        try {
            CSVPrinter csv = CSVFormat.DEFAULT.builder().setHeader(headers.toArray(String[]::new)).setRecordSeparator("\n")
                    .build().print(out);
            for (List<Object> row : rows) {
                csv.printRecord(row.stream().map(CsvOption::cell).toList());
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NaN and null are left empty; anything else as Java writes it. */
    private static Object cell(Object v) {
        return v == null || v instanceof Double d && !Double.isFinite(d) ? "" : v;
    }
}
