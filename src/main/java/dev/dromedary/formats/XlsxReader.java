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
    private final Iterator<Row> rows;
    private final RecordLimits limits;
    private final long skipBefore;
    private List<String> header;
    private long number;

    private XlsxReader(Workbook workbook, Sheet sheet, RecordLimits limits, long skipBefore) {
        this.workbook = workbook;
        this.sheet = sheet;
        this.rows = sheet.rowIterator();
        this.limits = limits;
        this.skipBefore = skipBefore;
    }

    /**
     * The sheet named or numbered {@code sheet} (the first when null), after {@code skipRows} rows and its
     * first non-empty row as the header, or with {@code columns}, or, resuming, with the checkpoint's header
     * and after the rows before {@code skipBefore}.
     */
    static XlsxReader open(InputStream in, Object sheet, int skipRows, List<String> columns, List<String> knownHeader,
                           long skipBefore, RecordLimits limits) {
        Workbook workbook;
        try {
            workbook = StreamingReader.builder().rowCacheSize(100).bufferSize(64 * 1024).setUseSstTempFile(true)
                    .setReadComments(false).setReadHyperlinks(false).setReadShapes(false).open(in);
        } catch (OpenException | ReadException e) {
            throw new UnreadableFile("the object is not an .xlsx workbook: " + e.getMessage());
        }
        Sheet chosen = sheet == null ? sheetAt(workbook, 0)
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
        for (int i = 0; i < skipRows && reader.rows.hasNext(); i++) {
            reader.rows.next();
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
        return reader;
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
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.getRowNum() + 1 > skipBefore) {
                SourceRow read = read(row);
                if (read != null) {
                    return read;
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        workbook.close();
    }

    /** A row's cells as text, or null for a row with no value in it. */
    private SourceRow read(Row row) {
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
            String text = text(cell);
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
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (type) {
            case STRING -> cell.getStringCellValue();
            case NUMERIC -> DateUtil.isCellDateFormatted(cell) ? date(cell.getLocalDateTimeCellValue()) : number(cell.getNumericCellValue());
            case BOOLEAN -> Boolean.toString(cell.getBooleanCellValue());
            case ERROR -> FormulaError.forInt(cell.getErrorCellValue()).getString();
            default -> "";
        };
    }

    /** A date alone when the time is midnight, else the date and time, as Excel holds them (no zone). */
    private static String date(LocalDateTime value) {
        return value.toLocalTime().toSecondOfDay() == 0 && value.getNano() == 0 ? value.toLocalDate().toString()
                : value.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME);
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
