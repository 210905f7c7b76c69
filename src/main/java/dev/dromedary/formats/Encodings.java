package dev.dromedary.formats;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.commons.io.input.ReaderInputStream;

/**
 * The text encodings an import reads, and how {@code auto} tells them apart: a byte order mark says which
 * UTF; else the first bytes are UTF-16 when every other one is NUL; else valid UTF-8 is UTF-8 (a few bad
 * sequences among more good ones too), and anything else is Windows-1252 (the encoding of a European Excel
 * "CSV"), which maps every byte to a character.
 */
public final class Encodings {

    public static final String AUTO = "auto";
    static final List<String> NAMED = List.of("utf-8", "windows-1252", "iso-8859-1", "utf-16le", "utf-16be");

    private Encodings() {
    }

    /** The encoding {@code job_data.encoding} names, in its canonical spelling; {@code auto} when it names none. */
    static String named(String requested) {
        if (requested == null || requested.equalsIgnoreCase(AUTO)) {
            return AUTO;
        }
        String name = requested.toLowerCase(Locale.ROOT).replace('_', '-');
        name = switch (name) {
            case "utf8" -> "utf-8";
            case "cp1252", "windows1252" -> "windows-1252";
            case "latin1", "latin-1", "iso8859-1" -> "iso-8859-1";
            default -> name;
        };
        if (!NAMED.contains(name)) {
            throw new IllegalArgumentException("job_data.encoding is auto, " + String.join(", ", NAMED) + ", not '"
                    + (requested.length() > 20 ? requested.substring(0, 20) + "…" : requested) + "'");
        }
        return name;
    }

    /** The encoding of a file whose first bytes these are. */
    static String detect(byte[] head, int length) {
        if (length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return "utf-8";
        }
        if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return "utf-16le";
        }
        if (length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return "utf-16be";
        }
        int pairs = Math.min(length, 4096) / 2;
        int evenNul = 0;
        int oddNul = 0;
        for (int i = 0; i < pairs * 2; i += 2) {
            evenNul += head[i] == 0 ? 1 : 0;
            oddNul += head[i + 1] == 0 ? 1 : 0;
        }
        if (pairs >= 2 && oddNul > pairs * 0.4 && evenNul < pairs * 0.05) {
            return "utf-16le";
        }
        if (pairs >= 2 && evenNul > pairs * 0.4 && oddNul < pairs * 0.05) {
            return "utf-16be";
        }
        return validUtf8(head, length) ? "utf-8" : "windows-1252";
    }

    /** Whether the text is read from UTF-8 made of it as it streams (UTF-16, whose bytes are not ASCII's). */
    static boolean transcodedToUtf8(String encoding) {
        return encoding.startsWith("utf-16");
    }

    /** The bytes of {@code in}, in {@code encoding}, as UTF-8: what the readers, which find ASCII in bytes, take. */
    static InputStream asUtf8(InputStream in, String encoding) {
        Charset charset = encoding.equals("utf-16le") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
        try {
            return ReaderInputStream.builder().setReader(new InputStreamReader(in, charset)).setCharset(StandardCharsets.UTF_8)
                    .setBufferSize(64 * 1024).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the sample reads as UTF-8: it has no byte sequence that is not UTF-8, or at least as many
     * multi-byte characters as such sequences (a UTF-8 file with a bad row, whose row is then a dead letter).
     * A character cut at the end of the sample counts for neither.
     */
    private static boolean validUtf8(byte[] bytes, int length) {
        int valid = 0;
        int invalid = 0;
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            int following = b < 0x80 ? 0 : b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
            if (following < 0) {
                invalid++;
                i++;
                continue;
            }
            boolean complete = true;
            for (int k = 1; k <= following && complete; k++) {
                complete = i + k < length && (bytes[i + k] & 0xC0) == 0x80;
            }
            if (!complete && i + following >= length) {
                break;
            }
            if (!complete) {
                invalid++;
                i++;
                continue;
            }
            valid += following > 0 ? 1 : 0;
            i += following + 1;
        }
        return invalid == 0 || valid >= invalid;
    }
}
