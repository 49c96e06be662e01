package io.evkeygen.cli;

import java.io.InputStream;
import java.util.function.Supplier;

/** A fake terminal for KekOptions' prompt: stdin always counts as a terminal; typed lines come from a supplier. */
final class FakeTerminal implements KekOptions.Terminal {
    private final Supplier<char[]> typed;

    FakeTerminal(Supplier<char[]> typed) {
        this.typed = typed;
    }

    @Override
    public boolean isTerminal(InputStream stdin) {
        return true;
    }

    @Override
    public char[] readPassword() {
        return typed.get();
    }
}
