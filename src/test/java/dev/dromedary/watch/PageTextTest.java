package dev.dromedary.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a watch reads of a page and how it tells two snapshots apart, without a server. */
class PageTextTest {

    private static PageText page(String body, String contentType) {
        return new PageText(body.getBytes(StandardCharsets.UTF_8), contentType, "https://example.org/");
    }

    @Test
    void htmlReadsAsAReaderSeesItABlockOrTableRowALine() {
        PageText page = page("""
                <html><head><style>p {color: red}</style><script>var x = 1;</script></head><body>
                <h1>Embassies</h1><p>Updated <b>today</b>,<br>by the desk</p>
                <ul><li>one</li><li>two   spaces</li></ul>
                <table><tr><th>Country</th><th>City</th></tr><tr><td>France</td><td>Dublin&nbsp;4</td></tr></table>
                </body></html>""", "text/html");
        assertThat(page.lines(Selector.TEXT)).containsExactly("Embassies", "Updated today,", "by the desk", "one", "two spaces",
                "Country | City", "France | Dublin 4");
        assertThat(page.lines(Selector.css("li", "css"))).containsExactly("one", "two spaces");
        assertThat(page.lines(Selector.css("table#nothing", "css"))).isEmpty();
    }

    @Test
    void jsonIsSelectedByPathAnArrayAnElementALine() {
        PageText page = page("{\"items\": [{\"name\": \"a\", \"n\": 1}, {\"name\": \"b\", \"n\": 2}], \"meta\": {\"page\": 1}}",
                "application/json");
        assertThat(page.lines(Selector.jsonPath("$.items[*].name", "p"))).containsExactly("a", "b");
        assertThat(page.lines(Selector.jsonPath("$.items[?(@.n > 1)]", "p"))).containsExactly("{\"name\":\"b\",\"n\":2}");
        assertThat(page.lines(Selector.jsonPath("$.meta", "p"))).containsExactly("{", "\"page\" : 1", "}");
        assertThat(page.lines(Selector.jsonPath("$.missing", "p"))).isEmpty();
        assertThat(page.lines(Selector.TEXT)).as("a JSON answer's text is its pretty print").contains("\"page\" : 1");
        WatchJob.Rows rows = new WatchJob.Rows(Selector.jsonPath("$.items", "p"), Map.of("name", Selector.jsonPath("$.name", "c")));
        assertThat(page.rows(rows)).containsExactly(List.of("a"), List.of("b"));
        assertThat(page.records(Selector.jsonPath("$.items", "p"))).hasSize(2);
    }

    @Test
    void aDiffNamesTheLinesAddedAndRemovedWithContext() {
        TextDiff diff = TextDiff.of(List.of("a", "b", "c", "d", "e"), List.of("a", "b", "C", "d", "e", "f"), "before", "after", 10_000);
        assertThat(diff.linesAdded()).isEqualTo(2);
        assertThat(diff.linesRemoved()).isEqualTo(1);
        assertThat(diff.unified()).startsWith("--- before\n+++ after\n@@ -1,5 +1,6 @@\n").contains("-c\n+C\n").contains("+f\n");
        assertThat(TextDiff.of(List.of("a"), List.of("a"), "x", "y", 100).unified()).isEmpty();
    }

    @Test
    void aRewriteOfManyLinesIsOneChangeAndItsTextIsCut() {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            before.add("old " + i);
            after.add("new " + i);
        }
        long started = System.nanoTime();
        TextDiff diff = TextDiff.of(before, after, "before", "after", 5_000);
        assertThat(System.nanoTime() - started).as("no quadratic search over 50,000 changed lines").isLessThan(5_000_000_000L);
        assertThat(diff.linesAdded()).isEqualTo(50_000);
        assertThat(diff.linesRemoved()).isEqualTo(50_000);
        assertThat(diff.unified()).hasSizeLessThan(5_100).endsWith("(the diff is cut at 5000 characters)\n");
    }

    @Test
    void selectorsThatCouldHangAWorkerAreRefused() {
        assertThatThrownBy(() -> Selector.css("p:matchesOwn((a+)+$)", "css")).hasMessageStartingWith("ERR_INVALID_SELECTOR");
        assertThatThrownBy(() -> Selector.css("[href~=(a+)+$]", "css")).hasMessageStartingWith("ERR_INVALID_SELECTOR");
        assertThatThrownBy(() -> Selector.jsonPath("$..a..b", "p")).hasMessageContaining("deep scan");
        assertThatThrownBy(() -> Selector.jsonPath("$.a[?(@.b =~ /x/)]", "p")).hasMessageContaining("=~");
        assertThatThrownBy(() -> Selector.jsonPath("items", "p")).hasMessageContaining("starting at $");
        assertThatThrownBy(() -> WatchJob.of(Map.of("watch", "w", "url", "https://e.org/", "ignore", List.of("(?=x)"))))
                .hasMessageStartingWith("ERR_INVALID_PATTERN");
        assertThatThrownBy(() -> WatchJob.of(Map.of("watch", "w", "url", "https://e.org/", "notify_when", "contains")))
                .hasMessageContaining("job_data.text");
        assertThat(WatchJob.of(Map.of("watch", "w", "url", "https://e.org/")).select()).isEqualTo(Selector.TEXT);
    }
}
