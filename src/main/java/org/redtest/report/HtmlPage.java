package org.redtest.report;

import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** A self-contained HTML page under construction: inline style, PNGs embedded as data URIs, nothing fetched. */
final class HtmlPage {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            tr.PASS td.verdict{color:#1a7f37;font-weight:bold} tr.FAIL td.verdict{color:#c0392b;font-weight:bold}
            tr.INFO td.verdict{color:#777}
            pre{background:#f6f8fa;padding:1em;overflow:auto;font-size:0.85em}
            figure{margin:1em 0} img{max-width:100%;border:1px solid #eee} figcaption{color:#555;font-size:0.9em}
            """;
    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlPage(String title) {
        this.title = title;
        heading(1, title);
    }

    HtmlPage heading(int level, String text) {
        body.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
        return this;
    }

    HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A table; cells that parse as numbers are right-aligned; {@code rowClasses} (may be null) style rows. */
    HtmlPage table(List<String> headers, List<List<String>> rows, List<String> rowClasses) {
        body.append("<table>\n<tr>");
        headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            body.append(rowClasses == null ? "<tr>" : "<tr class=\"" + escape(rowClasses.get(i)) + "\">");
            List<String> row = rows.get(i);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String cls = headers.get(c).equals("verdict") ? " class=\"verdict\"" : isNumber(cell) ? " class=\"num\"" : "";
                body.append("<td").append(cls).append('>').append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    HtmlPage image(Path png, String caption) {
        try {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
            body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,").append(data)
                    .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        } catch (IOException e) {
            throw new RedTestException("cannot read figure " + png + ": " + e.getMessage());
        }
        return this;
    }

    String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><style>" + STYLE + "</style></head><body>\n" + body + "</body></html>\n";
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static boolean isNumber(String s) {
        return s != null && s.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?");
    }
}
