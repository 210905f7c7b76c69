package dev.dromedary.formats;

import com.github.pjfanning.xlsx.StreamingReader;
import com.github.pjfanning.xlsx.exceptions.OpenException;
import com.github.pjfanning.xlsx.exceptions.ReadException;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;

/**
 * One sheet of an .xlsx workbook, row by row as excel-streaming-reader parses it (the workbook is spooled to
 * a temp file, its shared strings kept in another: the heap holds a few rows, whatever the sheet's size).
 * Cells are text as Excel shows their type: a date-formatted number is an ISO date or date-time, a whole
 * number has no {@code .0}, a formula is its cached value, an empty cell is empty. A row's position is its
 * row in the sheet, so that a checkpoint names the row after the last one committed.
 */
final class XlsxReader extends ReadAhead {

    private final Workbook workbook;
    private final Sheet sheet;
    private Iterator<Row> rows;
    private final RecordLimits limits;
    private long skipBefore;
    private long lastRow;
    private List<String> header;
    private long number;

    private XlsxReader(Workbook workbook, Sheet sheet, RecordLimits limits, long skipBefore) {
        this.workbook = workbook;
        this.sheet = sheet;
        this.limits = limits;
        this.skipBefore = skipBefore;
    }

    /**
     * The sheet named or numbered {@code sheet} (the first visible one when null), after {@code skipRows} rows (or
     * from the sheet's row {@code headerRow} on) and its first non-empty row as the header, or with {@code columns}, or, resuming, with the checkpoint's header
     * and after the rows before {@code skipBefore}.
     */
    static XlsxReader open(InputStream in, Object sheet, int skipRows, Integer headerRow, List<String> columns,
                           List<String> knownHeader, long skipBefore, RecordLimits limits) {
        Workbook workbook;
        try {
            workbook = StreamingReader.builder().rowCacheSize(100).bufferSize(64 * 1024).setUseSstTempFile(true)
                    .setReadComments(false).setReadHyperlinks(false).setReadShapes(false).open(in);
        } catch (OpenException | ReadException e) {
            throw new UnreadableFile("the object is not an .xlsx workbook: " + e.getMessage());
        }
        Sheet chosen = sheet == null ? firstVisible(workbook)
                : sheet instanceof Integer index ? sheetAt(workbook, index) : sheetNamed(workbook, sheet.toString());
        if (chosen == null && sheet instanceof String name && name.matches("\\d{1,4}")) {
            chosen = sheetAt(workbook, Integer.parseInt(name));
        }
        if (chosen == null) {
            List<String> names = new ArrayList<>();
            workbook.forEach(each -> names.add(each.getSheetName()));
            close(workbook);
            throw new UnreadableFile("the workbook has no sheet " + sheet + "; its sheets are " + names);
        }
        XlsxReader reader = new XlsxReader(workbook, chosen, limits, skipBefore);
        if (knownHeader != null) {
            reader.header = List.copyOf(knownHeader);
            return reader;
        }
        if (headerRow != null) {
            // rows are counted as the sheet numbers them: empty rows that no writer stored count too
            reader.skipBefore = headerRow - 1;
        } else {
            int skipped = 0;
            while (skipped < skipRows && reader.nextRow() != null) {
                skipped++;
            }
        }
        if (columns != null) {
            reader.header = List.copyOf(columns);
            return reader;
        }
        if (!reader.hasNext()) {
            close(workbook);
            throw new UnreadableFile("the sheet " + chosen.getSheetName() + " is empty: it has no header row");
        }
        reader.header = reader.next().values().stream().map(value -> value == null ? "" : value).toList();
        reader.number = 0;
        reader.skipBefore = 0;
        return reader;
    }

    /** The first sheet a reader of the workbook sees: hidden ones (a notes sheet, say) are passed over. */
    private static Sheet firstVisible(Workbook workbook) {
        for (int i = 0; i < workbook.getNumberOfSheets(); i++) {
            if (!workbook.isSheetHidden(i) && !workbook.isSheetVeryHidden(i)) {
                return sheetAt(workbook, i);
            }
        }
        return sheetAt(workbook, 0);
    }

    private static Sheet sheetAt(Workbook workbook, int index) {
        try {
            return workbook.getSheetAt(index);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Sheet sheetNamed(Workbook workbook, String name) {
        try {
            return workbook.getSheet(name);
        } catch (RuntimeException e) {
            // excel-streaming-reader's MissingSheetException
            return null;
        }
    }

    /** Numbers the rows read from {@code first} on, as the checkpoint's count goes on. */
    XlsxReader numberedFrom(long first) {
        this.number = first - 1;
        return this;
    }

    String sheetName() {
        return sheet.getSheetName();
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    SourceRow read() {
        Row row;
        while ((row = nextRow()) != null) {
            if (row.getRowNum() + 1 > skipBefore) {
                SourceRow read = read(row);
                if (read != null) {
                    return read;
                }
            }
        }
        return null;
    }

    /**
     * The sheet's next row, null after its last; a sheet whose XML breaks off fails the import at once (no retry reads
     * it better), naming the sheet and the last row read.
     */
    private Row nextRow() {
        try {
            if (rows == null) {
                rows = sheet.rowIterator();
            }
            return rows.hasNext() ? rows.next() : null;
        } catch (RuntimeException e) {
            throw new UnreadableFile("the sheet " + sheet.getSheetName() + " cannot be read past its row " + lastRow + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        }
    }

    @Override
    public void close() throws IOException {
        workbook.close();
    }

    /** A row's cells as text, or null for a row with no value in it. */
    private SourceRow read(Row row) {
        lastRow = row.getRowNum() + 1;
        List<String> values = new ArrayList<>();
        boolean empty = true;
        String unreadable = null;
        for (Cell cell : row) {
            int column = cell.getColumnIndex();
            if (column >= limits.maxColumns()) {
                unreadable = "the row has a value in column " + (column + 1) + "; a row holds at most " + limits.maxColumns()
                        + " (MAX_COLUMNS)";
                break;
            }
            String text;
            try {
                text = text(cell);
            } catch (RuntimeException e) {
                // a cell no reading makes sense of is this row's dead letter, named by its column; the rest of the sheet lands
                unreadable = "the cell " + cell.getAddress() + " of the sheet " + sheet.getSheetName() + " (column "
                        + (header != null && column < header.size() ? "'" + header.get(column) + "'" : column + 1)
                        + ") cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage();
                break;
            }
            if (text == null || text.isEmpty()) {
                continue;
            }
            while (values.size() < column) {
                values.add("");
            }
            values.add(text);
            empty = false;
        }
        if (empty && unreadable == null) {
            return null;
        }
        if (header != null) {
            while (values.size() < header.size()) {
                values.add("");
            }
        }
        return new SourceRow(++number, values, row.getRowNum() + 1, unreadable);
    }

    private static String text(Cell cell) {
        boolean formula = cell.getCellType() == CellType.FORMULA;
        CellType type = formula ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> cell.getStringCellValue();
            case NUMERIC -> numeric(cell, formula);
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue());
            case ERROR -> error(cell);
            default -> "";
        };
    }

    /**
     * A number, date or time; empty for a formula no program computed (openpyxl and other writers store a formula
     * with an empty value, {@code <v/>}, for Excel to compute when it opens the file).
     */
    private static String numeric(Cell cell, boolean formula) {
        double value;
        try {
            value = cell.getNumericCellValue();
        } catch (NumberFormatException e) {
            if (formula) {
                return "";
            }
            throw e;
        }
        if (!DateUtil.isCellDateFormatted(cell)) {
            return number(value);
        }
        LocalDateTime at = cell.getLocalDateTimeCellValue();
        return value >= 0 && value < 1 ? time(at) : date(at);
    }

    private static String error(Cell cell) {
        try {
            return FormulaError.forInt(cell.getErrorCellValue()).getString();
        } catch (RuntimeException notAnErrorCode) {
            // excel-streaming-reader answers a formula's cached error as text ("ERROR:  #N/A") rather than its code
            String text = cell.getStringCellValue();
            return text.startsWith("ERROR:") ? text.substring("ERROR:".length()).strip() : text;
        }
    }

    /** A date alone when the time is midnight, else the date and time, as Excel holds them (no zone). */
    private static String date(LocalDateTime value) {
        return value.toLocalTime().toSecondOfDay() == 0 && value.getNano() == 0 ? value.toLocalDate().toString()
                : value.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    /** A time of day alone (a cell under a time format, less than one day), as 09:30:15. */
    private static String time(LocalDateTime value) {
        return value.toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).format(java.time.format.DateTimeFormatter.ISO_LOCAL_TIME);
    }

    /** A whole number without {@code .0}, any other as its shortest decimal, never in exponent form. */
    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void close(Workbook workbook) {
        try {
            workbook.close();
        } catch (IOException e) {
            // the workbook was only read
        }
    }
}
