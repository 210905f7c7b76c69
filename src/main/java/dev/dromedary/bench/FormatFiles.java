package dev.dromedary.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The bench's CSV as the other formats an import reads, made once beside it (the same rows, in order). */
final class FormatFiles {

    private FormatFiles() {
    }

    /** The same rows, but every {@code every}th one's title changed (the key and the other columns as they were). */
    static Path withChangedRows(Path csv, int every) throws IOException {
        Path changed = Path.of(csv.toString().replaceFirst("\\.csv$", "-changed-" + every + ".csv"));
        if (!Files.exists(changed)) {
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                 CSVParser records = CSVFormat.DEFAULT.builder().setHeader().get().parse(in);
                 Writer out = Files.newBufferedWriter(changed, StandardCharsets.UTF_8);
                 org.apache.commons.csv.CSVPrinter printer = CSVFormat.DEFAULT.print(out)) {
                List<String> header = records.getHeaderNames();
                printer.printRecord(header);
                int title = header.indexOf("title");
                long number = 0;
                for (CSVRecord record : records) {
                    List<String> values = new java.util.ArrayList<>(record.toList());
                    if (++number % every == 0) {
                        values.set(title, values.get(title) + " (changed)");
                    }
                    printer.printRecord(values);
                }
            }
        }
        return changed;
    }

    static Path gzip(Path csv) throws IOException {
        Path gz = Path.of(csv + ".gz");
        if (!Files.exists(gz)) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                Files.copy(csv, out);
            }
        }
        return gz;
    }

    static Path jsonLines(Path csv) throws IOException {
        Path jsonl = Path.of(csv.toString().replaceFirst("\\.csv$", ".jsonl"));
        if (!Files.exists(jsonl)) {
            ObjectMapper json = new ObjectMapper();
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                 CSVParser records = CSVFormat.DEFAULT.builder().setHeader().get().parse(in);
                 Writer out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
                List<String> header = records.getHeaderNames();
                for (CSVRecord record : records) {
                    JsonGenerator line = json.getFactory().createGenerator(out);
                    line.writeStartObject();
                    for (String column : header) {
                        String value = record.get(column);
                        if (!value.isEmpty()) {
                            line.writeStringField(column, value);
                        }
                    }
                    line.writeEndObject();
                    line.flush();
                    out.write('\n');
                }
            }
        }
        return jsonl;
    }

    static Path xlsx(Path csv) throws IOException {
        Path xlsx = Path.of(csv.toString().replaceFirst("\\.csv$", ".xlsx"));
        if (!Files.exists(xlsx)) {
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                 CSVParser records = CSVFormat.DEFAULT.builder().setHeader().get().parse(in);
                 SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
                // text inline in each cell, as streaming writers do: a shared strings table of a million rows
                // would not fit the bench's heap while it is written
                Sheet sheet = workbook.createSheet("contacts");
                List<String> header = records.getHeaderNames();
                Row first = sheet.createRow(0);
                for (int i = 0; i < header.size(); i++) {
                    first.createCell(i).setCellValue(header.get(i));
                }
                int r = 1;
                for (CSVRecord record : records) {
                    Row row = sheet.createRow(r++);
                    for (int i = 0; i < header.size(); i++) {
                        String value = record.get(i);
                        if (value.isEmpty()) {
                            continue;
                        }
                        if (value.matches("-?\\d{1,15}")) {
                            row.createCell(i).setCellValue(Long.parseLong(value));
                        } else {
                            row.createCell(i).setCellValue(value);
                        }
                    }
                }
                try (OutputStream out = Files.newOutputStream(xlsx)) {
                    workbook.write(out);
                }
                workbook.dispose();
            }
        }
        return xlsx;
    }
}
