package org.redtest.report;

import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * A self-contained HTML page under construction: inline style, PNGs embedded as data URIs, nothing
 * fetched. Readable from phone width up: the viewport tag stops mobile browsers from zooming out to a
 * desktop width, wide tables scroll inside their own box, and images shrink to the column.
 */
final class HtmlPage {
    static final String VIEWPORT = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    private static final String STYLE = """
            *{box-sizing:border-box}
            body{font-family:system-ui,sans-serif;max-width:1300px;margin:0 auto;padding:0.5em 1em 2em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin:0.4em 0;overflow-wrap:anywhere} h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ddd}
            h3{font-size:1.05em;margin:1.2em 0 0.3em}
            section.summary{border:2px solid #2c6fbb;background:#f4f8fd;border-radius:6px;padding:0.3em 1em 0.6em;margin:1em 0}
            section.summary h2{margin-top:0.4em;border:none}
            dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:0.25em 1em;margin:0.5em 0}
            dl.facts dt{font-weight:600} dl.facts dd{margin:0;overflow-wrap:anywhere}
            .table-wrap{overflow-x:auto;max-width:100%;margin:0.6em 0}
            table{border-collapse:collapse;font-size:0.9em;background:#fff}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#eef2f6;font-weight:600}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.wide{min-width:16em} td.spec{min-width:9em;overflow-wrap:anywhere}
            tr.PASS td.verdict{color:#1a7f37;font-weight:bold} tr.FAIL td.verdict{color:#c0392b;font-weight:bold}
            tr.INFO td.verdict{color:#777} tr.original td{background:#f7f7f7}
            p.caption,figcaption{color:#555;font-size:0.88em;margin:0.3em 0 1em} p.verdict{font-weight:600}
            .figures{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
            .figures figure{flex:1 1 340px;min-width:0}
            .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(440px,100%),1fr));gap:0 1em}
            figure{margin:0.5em 0} img{max-width:100%;height:auto;border:1px solid #eee}
            details{border:1px solid #ddd;border-radius:4px;padding:0.3em 0.8em;margin:0.5em 0}
            summary{cursor:pointer;font-weight:600}
            pre{background:#f6f8fa;padding:0.8em;overflow:auto;font-size:0.85em}
            code{overflow-wrap:anywhere} footer{color:#777;font-size:0.85em;margin-top:2em;overflow-wrap:anywhere}
            @media (max-width:600px){body{padding:0.3em 0.6em 1.5em} section.summary{padding:0.2em 0.7em 0.5em}
            dl.facts{grid-template-columns:1fr;gap:0} dl.facts dd{margin-bottom:0.5em}}
            """;
    private final StringBuilder body = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();
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
        if (text != null && !text.isBlank()) {
            body.append("<p>").append(escape(text)).append("</p>\n");
        }
        return this;
    }

    /** A paragraph that answers (a verdict), set in bold. */
    HtmlPage verdict(String text) {
        if (text != null && !text.isBlank()) {
            body.append("<p class=\"verdict\">").append(escape(text)).append("</p>\n");
        }
        return this;
    }

    HtmlPage caption(String text) {
        body.append("<p class=\"caption\">").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** Opens an element (a section, a figure row) that {@link #close()} ends; {@code cssClass} may be null. */
    HtmlPage open(String tag, String cssClass) {
        body.append('<').append(tag).append(cssClass == null ? "" : " class=\"" + escape(cssClass) + "\"").append(">\n");
        open.push(tag);
        return this;
    }

    HtmlPage close() {
        body.append("</").append(open.pop()).append(">\n");
        return this;
    }

    /** A collapsed section: the reader opens what they need (configuration, provenance). */
    HtmlPage details(String summary) {
        open("details", null);
        body.append("<summary>").append(escape(summary)).append("</summary>\n");
        return this;
    }

    /** Labelled facts, label and value side by side (pairs: label, value, label, value, ...). */
    HtmlPage facts(List<String> pairs) {
        body.append("<dl class=\"facts\">\n");
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            body.append("<dt>").append(escape(pairs.get(i))).append("</dt><dd>").append(escape(pairs.get(i + 1)))
                    .append("</dd>\n");
        }
        body.append("</dl>\n");
        return this;
    }

    HtmlPage table(List<String> headers, List<List<String>> rows, List<String> rowClasses) {
        return table(headers, rows, rowClasses, null);
    }

    /**
     * A table in a box that scrolls sideways on narrow screens, then its caption (outside the box, so
     * it wraps to the screen, not the table). Cells that parse as numbers are right-aligned; a column
     * whose header names units gets room to wrap, a model "structure" (a VGG spec has no spaces) may
     * break anywhere, and a key/value table's values stay left-aligned; {@code rowClasses} (may be null)
     * style rows.
     */
    HtmlPage table(List<String> headers, List<List<String>> rows, List<String> rowClasses, String caption) {
        body.append("<div class=\"table-wrap\"><table>\n<tr>");
        headers.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            String rowClass = rowClasses == null ? null : rowClasses.get(i);
            body.append(rowClass == null ? "<tr>" : "<tr class=\"" + escape(rowClass) + "\">");
            List<String> row = rows.get(i);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String header = headers.get(c);
                String cls = header.equals("verdict") ? " class=\"verdict\"" : header.contains("units") ? " class=\"wide\""
                        : header.equals("structure") ? " class=\"spec\"" : header.equals("value") ? ""
                        : isNumber(cell) || cell.equals(ReportNumbers.NONE) ? " class=\"num\"" : "";
                body.append("<td").append(cls).append('>').append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return caption == null ? this : caption(caption);
    }

    HtmlPage image(Path png, String caption) {
        try {
            return image(Files.readAllBytes(png), caption);
        } catch (IOException e) {
            throw new RedTestException("cannot read figure " + png + ": " + e.getMessage(), e);
        }
    }

    HtmlPage image(byte[] png, String caption) {
        String data = Base64.getEncoder().encodeToString(png);
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,").append(data)
                .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    HtmlPage footer(String text) {
        body.append("<footer>").append(escape(text)).append("</footer>\n");
        return this;
    }

    String html() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" + VIEWPORT + "<title>" + escape(title)
                + "</title><style>" + STYLE + "</style></head><body>\n" + body + "</body></html>\n";
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static boolean isNumber(String s) {
        return s != null && s.matches("[-+−]?[0-9][0-9,]*(\\.[0-9]+)?( ± [0-9.]+)?( ?(%|k|M|G|ms))?");
    }
}
