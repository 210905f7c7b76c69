package dev.dromedary.formats;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Spreadsheets an import does not read, told by their first bytes or their key: an .xls (Excel 97-2003), an
 * OpenDocument .ods, an Apple Numbers document, or a workbook protected by a password (an encrypted .xlsx is an
 * OLE2 container, as an .xls is). Each is refused at once with what to save it as, rather than read as a CSV of
 * garbage or retried.
 */
final class OtherSpreadsheets {

    private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    private static final byte[] ZIP = {'P', 'K', 3, 4};

    private OtherSpreadsheets() {
    }

    /** Why the object (its key, its first bytes) cannot be imported as the spreadsheet it is; null for any other. */
    static String refusal(String key, byte[] head) {
        String name = key.toLowerCase(Locale.ROOT);
        if (startsWith(head, OLE2)) {
            if (name.endsWith(".xlsx") || contains(head, "EncryptionInfo".getBytes(StandardCharsets.UTF_16LE))) {
                return "ERR_WORKBOOK_ENCRYPTED: the workbook is protected by a password, and an import cannot open it: save a "
                        + "copy without the password (Excel: File › Info › Protect Workbook › Encrypt with Password, emptied)";
            }
            return xls();
        }
        if (startsWith(head, ZIP) && contains(head, "application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII))
                || name.endsWith(".ods")) {
            return "ERR_UNSUPPORTED_FORMAT: the object is an OpenDocument spreadsheet (.ods), which an import does not read: "
                    + "save it as an Excel workbook, .xlsx (LibreOffice: File › Save As › Excel 2007-365), or as CSV (UTF-8)";
        }
        if (startsWith(head, ZIP) && contains(head, "Index/Document.iwa".getBytes(StandardCharsets.US_ASCII)) || name.endsWith(".numbers")) {
            return "ERR_UNSUPPORTED_FORMAT: the object is an Apple Numbers document, which an import does not read: export it "
                    + "as an Excel workbook, .xlsx (Numbers: File › Export To › Excel), or as CSV";
        }
        if (name.endsWith(".xls")) {
            return xls();
        }
        return null;
    }

    private static String xls() {
        return "ERR_UNSUPPORTED_FORMAT: the object is an .xls workbook (Excel 97-2003), which an import does not read: save "
                + "it as an Excel workbook, .xlsx (Excel: File › Save As › Excel Workbook), or as CSV UTF-8";
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static boolean contains(byte[] head, byte[] text) {
        outer:
        for (int i = 0; i + text.length <= head.length; i++) {
            for (int j = 0; j < text.length; j++) {
                if (head[i + j] != text[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
