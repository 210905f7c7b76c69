package dev.dromedary.samples;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Realistic contact or company CSV files of any size, the same for the same seed: names from many
 * languages, company names with commas and quotes, and every column of the dataset.
 */
public final class SampleCsv {

    public static final List<String> CONTACT_COLUMNS = List.of("uuid", "first_name", "last_name", "email", "title",
            "company_id", "company_name", "company_domain", "industry", "country", "state", "city", "employees_count",
            "annual_revenue", "linkedin_url", "phone", "seniority", "department", "created_at");
    public static final List<String> COMPANY_COLUMNS = List.of("uuid", "name", "domain", "website", "industries",
            "employees_count", "annual_revenue", "founded_year", "country", "state", "city", "linkedin_url", "phone",
            "created_at");

    private static final String[] FIRST_NAMES = {"José", "Zoë", "Łukasz", "Aiko", "Björn", "Chloé", "Dmitri", "Émile",
            "Fatima", "Grace", "Hiroshi", "Ingrid", "Jamal", "Katarzyna", "Liam", "Mónica", "Nguyễn", "Olivia", "Pedro",
            "Quentin", "Renée", "Søren", "Tomás", "Ursula", "Vikram", "Wei", "Ximena", "Yusuf", "Zainab", "Ada"};
    private static final String[] LAST_NAMES = {"García", "Müller", "O'Brien", "Kowalski", "Tanaka", "Østergaard",
            "Núñez", "Smith", "Dubois", "Rossi", "Ivanova", "Chen", "Okafor", "Lindqvist", "Novák", "Schäfer", "Patel",
            "Yılmaz", "Haddad", "da Silva"};
    private static final String[] COMPANY_WORDS = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
            "Stark", "Wayne", "Cyberdyne", "Tyrell", "Soylent", "Aperture", "Nakatomi", "Wonka", "Gringotts"};
    private static final String[] COMPANY_SUFFIXES = {", Inc.", " GmbH", " S.A.", ", LLC", " Ltd", " AB",
            " \"Holdings\"", " & Co.", " K.K.", ""};
    private static final String[] INDUSTRIES = {"Software", "SaaS", "Fintech", "Healthcare", "Retail", "Logistics",
            "Manufacturing", "Education", "Media", "Energy"};
    private static final String[][] PLACES = {
            {"USA", "California", "San Francisco"}, {"USA", "New York", "New York"}, {"USA", "Texas", "Austin"},
            {"Germany", "Bavaria", "München"}, {"France", "Île-de-France", "Paris"}, {"Spain", "Andalucía", "Sevilla"},
            {"Japan", "Tokyo", "Tōkyō"}, {"Poland", "Masovia", "Warszawa"}, {"Brazil", "São Paulo", "São Paulo"},
            {"Sweden", "Stockholm", "Stockholm"}, {"Canada", "Québec", "Montréal"}, {"India", "Karnataka", "Bengaluru"}};
    private static final String[] TITLES = {"Software Engineer", "VP, Sales", "Chief Executive Officer",
            "Director of Marketing", "Data Scientist", "Head of \"Growth\"", "Account Executive", "Product Manager"};
    private static final String[] SENIORITIES = {"entry", "senior", "manager", "director", "vp", "c_suite"};
    private static final String[] DEPARTMENTS = {"engineering", "sales", "marketing", "finance", "operations", "hr"};

    private final Random random;

    public SampleCsv(long seed) {
        this.random = new Random(seed);
    }

    public static List<String> columnsOf(String dataset) {
        return switch (dataset) {
            case "contact" -> CONTACT_COLUMNS;
            case "company" -> COMPANY_COLUMNS;
            default -> throw new IllegalArgumentException("samples are of contact or company, not " + dataset);
        };
    }

    /** Writes a header and {@code rows} rows of {@code dataset} (contact or company). */
    public void write(String dataset, long rows, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT);
        csv.printRecord(columnsOf(dataset));
        for (long i = 0; i < rows; i++) {
            csv.printRecord(dataset.equals("contact") ? contact() : company());
        }
        csv.flush();
    }

    public List<Object> contact() {
        String first = pick(FIRST_NAMES);
        String last = pick(LAST_NAMES);
        String company = pick(COMPANY_WORDS);
        String domain = company.toLowerCase() + random.nextInt(1000) + ".com";
        String[] place = PLACES[random.nextInt(PLACES.length)];
        return List.of(uuid(), first, last,
                ascii(first) + "." + ascii(last) + random.nextInt(10_000) + "@" + domain, pick(TITLES), uuid(),
                company + pick(COMPANY_SUFFIXES), domain, pick(INDUSTRIES), place[0], place[1], place[2],
                Long.toString(10 + random.nextInt(50_000)), Long.toString(100_000L + random.nextInt(1_000_000_000)),
                "https://www.linkedin.com/in/" + ascii(first) + "-" + ascii(last) + "-" + random.nextInt(100_000),
                "+1 555 " + (1000 + random.nextInt(9000)), pick(SENIORITIES), pick(DEPARTMENTS), createdAt());
    }

    public List<Object> company() {
        String name = pick(COMPANY_WORDS) + " " + pick(INDUSTRIES) + pick(COMPANY_SUFFIXES);
        String domain = ascii(name.split(" ")[0]) + random.nextInt(100_000) + ".com";
        String[] place = PLACES[random.nextInt(PLACES.length)];
        String industries = pick(INDUSTRIES) + (random.nextBoolean() ? ";" + pick(INDUSTRIES) : "");
        return List.of(uuid(), name, domain, "https://" + domain, industries,
                Long.toString(5 + random.nextInt(100_000)), Long.toString(50_000L + random.nextInt(2_000_000_000)),
                Long.toString(1900 + random.nextInt(125)), place[0], place[1], place[2],
                "https://www.linkedin.com/company/" + domain.replace(".com", ""), "+1 555 " + (1000 + random.nextInt(9000)),
                createdAt());
    }

    private String uuid() {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private String createdAt() {
        return LocalDate.of(2015, 1, 1).plusDays(random.nextInt(3650)).atTime(random.nextInt(24), random.nextInt(60))
                .atOffset(ZoneOffset.UTC).toInstant().toString();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("[^A-Za-z]", "").toLowerCase();
    }
}
