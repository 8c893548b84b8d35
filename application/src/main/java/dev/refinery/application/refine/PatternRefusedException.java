package dev.refinery.application.refine;

/**
 * A regular expression of a schema that Refinery will not run: its syntax needs a backtracking engine, its program
 * is too large, or one match would take too many steps. The message says which, for the caller.
 */
final class PatternRefusedException extends IllegalArgumentException {
    PatternRefusedException(String message) {
        super(message);
    }
}
