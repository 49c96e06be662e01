package io.evkeygen.cli;

import io.evkeygen.Backends;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.NativeLibraryStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Version and backends, for bug reports and scripts. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print version and available backends.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String backend;
        try {
            backend = Backends.resolve("auto");
        } catch (KeygenException e) {
            backend = "none (" + e.getMessage() + ")";
        }
        NativeLibraryStatus nat = Backends.nativeStatus();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Main.version());
        m.put("backend", backend);
        m.put("backends", nat.available() ? List.of("native", "java") : List.of("java"));
        m.put("library", nat.libraryPath());
        m.put("library_source", nat.source());
        m.put("simd", nat.simdLevel());
        m.put("simd_best", nat.bestSimd());
        m.put("aes", nat.aes());
        m.put("native_version", nat.version());
        m.put("native_unavailable_reason", nat.reason());
        m.put("native_cache_not_used", nat.notCached());
        m.put("java_version", System.getProperty("java.version"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        if (json) {
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().println("evkeygen " + m.get("version") + ", backend " + backend
                    + ", Java " + m.get("java_version") + ", " + m.get("cores") + " cores");
            spec.commandLine().getOut().println(nat.describe());
        }
        return 0;
    }
}
