package dev.dromedary.analysis;

/** Text made safe inside HTML, and the style every page of a report shares (no script, no link: it works offline). */
final class Html {

    static final String STYLE = "<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d2330}"
            + "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}table{border-collapse:collapse;margin:.5em 0}"
            + "td,th{border-bottom:1px solid #dde1e8;padding:.3em .7em;text-align:left;vertical-align:top}"
            + "th{background:#f3f5f8}.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#687285}"
            + ".score{font-weight:600}svg text{font:11px system-ui,sans-serif;fill:#1d2330}</style>";

    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Horizontal bars, one per label, as long as its value against the largest: plain SVG. */
    static String bars(java.util.List<String> labels, java.util.List<Long> values, String title) {
        long largest = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        int row = 18;
        int width = 420;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"" + escape(title) + "\" width=\"" + width
                + "\" height=\"" + (row * labels.size() + 4) + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int i = 0; i < labels.size(); i++) {
            long bar = Math.max(1, Math.round(220.0 * values.get(i) / largest));
            int y = i * row + 2;
            String label = labels.get(i).length() > 28 ? labels.get(i).substring(0, 27) + "…" : labels.get(i);
            svg.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(escape(label)).append("</text>")
                    .append("<rect x=\"170\" y=\"").append(y + 2).append("\" width=\"").append(bar)
                    .append("\" height=\"12\" fill=\"#4c78c8\"/>")
                    .append("<text x=\"").append(174 + bar).append("\" y=\"").append(y + 12).append("\">")
                    .append(values.get(i)).append("</text>");
        }
        return svg.append("</svg>").toString();
    }
}
