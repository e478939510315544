package workbook.tool;

import java.util.ArrayList;
import java.util.List;

/** A line-by-line diff of two short texts, in the unified style: "-" removed, "+" added, " " kept. */
final class LineDiff {

    private LineDiff() {
    }

    static List<String> diff(List<String> before, List<String> after) {
        // Longest common subsequence, from the ends: lengths[i][j] for before[i..] and after[j..].
        int[][] lengths = new int[before.size() + 1][after.size() + 1];
        for (int i = before.size() - 1; i >= 0; i--) {
            for (int j = after.size() - 1; j >= 0; j--) {
                lengths[i][j] = before.get(i).equals(after.get(j))
                        ? lengths[i + 1][j + 1] + 1
                        : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            if (i < before.size() && j < after.size() && before.get(i).equals(after.get(j))) {
                lines.add(" " + before.get(i++));
                j++;
            } else if (i < before.size() && (j == after.size() || lengths[i + 1][j] >= lengths[i][j + 1])) {
                lines.add("-" + before.get(i++));
            } else {
                lines.add("+" + after.get(j++));
            }
        }
        return lines;
    }

    /** Only the changed lines, each with up to {@code context} unchanged lines around it. */
    static List<String> changes(List<String> diff, int context) {
        boolean[] shown = new boolean[diff.size()];
        for (int k = 0; k < diff.size(); k++) {
            if (!diff.get(k).startsWith(" ")) {
                for (int m = Math.max(0, k - context); m <= Math.min(diff.size() - 1, k + context); m++) {
                    shown[m] = true;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < diff.size(); k++) {
            if (shown[k]) {
                if (k > 0 && !shown[k - 1] && !lines.isEmpty()) {
                    lines.add("@@");
                }
                lines.add(diff.get(k));
            }
        }
        return lines;
    }
}
