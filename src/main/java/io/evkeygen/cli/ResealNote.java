package io.evkeygen.cli;

/** What verify and inspect say about an interrupted reseal, which they report but never repair. */
final class ResealNote {
    static final String TEXT = "note: a reseal of this set was interrupted; it was checked as it will be once rolled back"
            + " (the journaled secret files). Loading the set, or running reseal again, finishes the roll-back.";

    private ResealNote() {}
}
