package workbook.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a Java file that are code: comments removed (the reference's doc tags and callouts
 * are comments too), white space folded, blank lines dropped. Two files with the same code lines do
 * the same, however differently they are commented and laid out.
 */
public final class CodeLines {

    private CodeLines() {
    }

    public static List<String> of(String source) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        boolean blockComment = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            char next = i + 1 < source.length() ? source.charAt(i + 1) : 0;
            if (blockComment) {
                if (c == '*' && next == '/') {
                    blockComment = false;
                    i++;
                } else if (c == '\n') {
                    add(lines, line);
                }
            } else if (c == '/' && next == '*') {
                blockComment = true;
                i++;
            } else if (c == '/' && next == '/') {
                while (i + 1 < source.length() && source.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                // A literal is code, comment markers in it included ("ws://..."): copy it whole.
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                line.append(source, i, Math.min(end + 1, source.length()));
                i = end;
            } else if (c == '\n') {
                add(lines, line);
            } else {
                line.append(c);
            }
        }
        add(lines, line);
        return lines;
    }

    /** Whether two files hold the same code, however its lines are broken and spaced. */
    static boolean same(String one, String other) {
        return compact(of(one)).equals(compact(of(other)));
    }

    /** A string or character literal: kept as it is, for its spaces are part of what the code does. */
    private static final Pattern LITERAL = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'");

    private static String compact(List<String> lines) {
        String code = String.join(" ", lines);
        StringBuilder compacted = new StringBuilder();
        Matcher literal = LITERAL.matcher(code);
        int at = 0;
        while (literal.find()) {
            compacted.append(spacesAroundPunctuationDropped(code.substring(at, literal.start()))).append(literal.group());
            at = literal.end();
        }
        return compacted.append(spacesAroundPunctuationDropped(code.substring(at))).toString();
    }

    private static String spacesAroundPunctuationDropped(String code) {
        return code.replaceAll("\\s*([(){}\\[\\];,.=+\\-*/<>!&|?:])\\s*", "$1");
    }

    private static void add(List<String> lines, StringBuilder line) {
        String code = line.toString().strip().replaceAll("\\s+", " ");
        if (!code.isEmpty()) {
            lines.add(code);
        }
        line.setLength(0);
    }
}
