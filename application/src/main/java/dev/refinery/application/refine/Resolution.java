package dev.refinery.application.refine;

/** How the caller settles a merge conflict on one id. */
public sealed interface Resolution {
    /** Take the source's head: its content becomes a new revision on the target. */
    record TakeSource() implements Resolution {}

    /** Keep the target's head: nothing is written for this id. */
    record TakeTarget() implements Resolution {}

    /** Write this body as a new revision on the target. */
    record Write(VibeDraft draft) implements Resolution {}
}
