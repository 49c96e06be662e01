package io.evkeygen.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launcher runs a plain generation from {@code evkeygen-generate.jar}, which leaves out the
 * integration libraries (AWS, Google Cloud, gRPC) so that the JDK has a small jar directory to read at
 * start-up, and names the complete {@code evkeygen.jar} in {@value #PROPERTY}. A command line the quick
 * parser does not take (help, a subcommand, a remote store, a usage error) is run here by a fresh copy of
 * the CLI loaded from that jar, in the same process with the same streams, so it behaves exactly as
 * {@code java -jar evkeygen.jar} would.
 */
final class FullJarHandoff {
    static final String PROPERTY = "evkeygen.cli.fullJar";

    private FullJarHandoff() {}

    /** The complete jar to hand over to, or null when this CLI is complete itself (no property). */
    static Path fullJar() {
        String jar = System.getProperty(PROPERTY);
        return jar == null || jar.isEmpty() ? null : Path.of(jar);
    }

    /** Runs {@code args} with the CLI of {@code jar}, isolated from this class path, and returns its exit code. */
    static int run(Path jar, String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: evkeygen-generate.jar runs only plain generations, "
                    + "this command needs the complete jar beside it");
        }
        // the copy is complete, so it must not hand over again; its parent is the platform loader, so no
        // class of the generation jar (nor its JNA or picocli) mixes with the complete jar's own
        System.clearProperty(PROPERTY);
        ClassLoader loader = new URLClassLoader("evkeygen.jar", new URL[] {url(jar)}, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader); // the AWS SDK and gRPC find their services through it
        try {
            Class<?> main = Class.forName(Main.class.getName(), true, loader);
            return (int) main.getMethod("run", String[].class, InputStream.class, PrintStream.class, PrintStream.class)
                    .invoke(null, args, in, out, err);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static URL url(Path jar) throws MalformedURLException {
        return jar.toAbsolutePath().toUri().toURL();
    }
}
