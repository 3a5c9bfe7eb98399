package dev.chase.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** Text put into a page stays text: markup in names and values is escaped everywhere. */
class HtmlPageTest {
    private static final String NASTY = "<script>alert('x')</script> & \"q\"";

    @Test
    void escapesTheFiveSpecialCharacters() {
        assertThat(HtmlPage.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
    }

    @Test
    void everyTextIsEscaped() {
        HtmlPage page = new HtmlPage(NASTY).heading(NASTY).section("s\"><x", NASTY).paragraph(NASTY).paragraph("note", NASTY)
                .table(List.of(NASTY), List.of(List.of(NASTY))).keyValues(Map.of(NASTY, NASTY)).image(new byte[] {1}, NASTY);
        String html = page.toHtml(NASTY);
        assertThat(html).doesNotContain("<script").doesNotContain("<x");
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("script")).isEmpty();
        assertThat(doc.title()).isEqualTo(NASTY);
        assertThat(doc.selectFirst("h1").text()).isEqualTo(NASTY);
        assertThat(doc.selectFirst("section").id()).isEqualTo("s\"><x");
        assertThat(doc.select("td").eachText()).containsOnly(NASTY);
        assertThat(doc.selectFirst("img").attr("alt")).isEqualTo(NASTY);
        assertThat(doc.selectFirst("footer").text()).isEqualTo(NASTY);
    }

    @Test
    void numbersAreRightAligned() {
        String html = new HtmlPage("t").table(List.of("a", "b", "c", "d"), List.of(List.of("1.25", "12.50%", "1.3x", "dense")))
                .toHtml("");
        assertThat(Jsoup.parse(html).select("td.num").eachText()).containsExactly("1.25", "12.50%", "1.3x");
    }
}
