package dev.chase.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;

/**
 * A self-contained HTML page under construction: inline CSS, charts embedded as base64 PNG data
 * URIs, no scripts and no external references, so it opens offline and can be mailed as one file.
 * Every text given to it is escaped.
 */
final class HtmlPage {
    private static final String STYLE = String.join("\n",
            "body { font-family: sans-serif; margin: 2em auto; max-width: 1000px; color: #222; padding: 0 1em; }",
            "h1 { font-size: 1.6em; margin-bottom: 0.2em; }",
            "h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }",
            "p.sub { color: #555; margin-top: 0; }",
            "p.note { color: #555; font-style: italic; }",
            "table { border-collapse: collapse; margin: 0.8em 0; }",
            "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }",
            "td.num { text-align: right; font-variant-numeric: tabular-nums; }",
            "th { background: #f3f3f3; }",
            "img { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }",
            "footer { margin-top: 2.5em; color: #777; font-size: 0.9em; }");

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private boolean inSection;

    HtmlPage(String title) {
        this.title = title;
    }

    /** Text with the five HTML-special characters replaced by entities. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    HtmlPage heading(String text) {
        body.append("<h1>").append(escape(text)).append("</h1>\n");
        return this;
    }

    /** Starts a section (closing the previous one) with an id and a heading. */
    HtmlPage section(String id, String heading) {
        closeSection();
        body.append("<section id=\"").append(escape(id)).append("\">\n<h2>").append(escape(heading)).append("</h2>\n");
        inSection = true;
        return this;
    }

    HtmlPage paragraph(String text) {
        return paragraph(null, text);
    }

    /** A paragraph in a style of the page's CSS: "sub" (under the title) or "note". */
    HtmlPage paragraph(String cssClass, String text) {
        body.append(cssClass == null ? "<p>" : "<p class=\"" + escape(cssClass) + "\">").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table with a header row; cells that look like numbers are right-aligned. */
    HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(this::cell);
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** A two-column table of names and values. */
    HtmlPage keyValues(Map<String, String> entries) {
        body.append("<table>\n");
        entries.forEach((k, v) -> {
            body.append("<tr><th>").append(escape(k)).append("</th>");
            cell(v);
            body.append("</tr>\n");
        });
        body.append("</table>\n");
        return this;
    }

    /** A chart as an embedded PNG image. */
    HtmlPage chart(JFreeChart chart, int width, int height, String alt) {
        return image(Charts.png(chart, width, height), alt);
    }

    /** A PNG image embedded as a data URI. */
    HtmlPage image(byte[] png, String alt) {
        body.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        return this;
    }

    private void cell(String value) {
        boolean number = value.matches("[-+]?[0-9][0-9.,eE+\\-]*( ?[%x])?");
        body.append(number ? "<td class=\"num\">" : "<td>").append(escape(value)).append("</td>");
    }

    private void closeSection() {
        if (inSection) {
            body.append("</section>\n");
            inSection = false;
        }
    }

    /** The complete document, with a footer line. */
    String toHtml(String footer) {
        closeSection();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + "</title>\n<style>\n"
                + STYLE + "\n</style>\n</head>\n<body>\n" + body + "<footer>" + escape(footer) + "</footer>\n</body>\n</html>\n";
    }
}
