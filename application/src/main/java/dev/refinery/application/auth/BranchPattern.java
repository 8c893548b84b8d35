package dev.refinery.application.auth;

import dev.refinery.domain.BranchName;
import dev.refinery.domain.MalformedTextException;

/**
 * A branch name in which {@code *} stands for any run of characters, {@code /} included: {@code feature/*}
 * matches {@code feature/x} and {@code feature/x/y}, {@code *} matches every branch, {@code main} only main.
 */
public record BranchPattern(String text) {
    /** Every branch. */
    public static final BranchPattern ANY = new BranchPattern("*");

    public BranchPattern {
        try {
            // with each * read as one letter, a pattern is a branch name
            BranchName.parse(text == null ? null : text.replace('*', 'x'));
        } catch (MalformedTextException e) {
            throw new MalformedTextException("branch pattern", text, e.position(), e.reason());
        }
    }

    public static BranchPattern parse(String text) {
        return new BranchPattern(text);
    }

    public boolean matches(BranchName branch) {
        String name = branch.value();
        // the usual greedy wildcard walk: on a mismatch, let the last * swallow one more character
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.length()) {
            if (p < text.length() && text.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < text.length() && text.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < text.length() && text.charAt(p) == '*') p++;
        return p == text.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
