/* A stand-in java.exe for testing bin\evkeygen.cmd under Wine (.ci/launcher-cmd.sh): appends its
   program name and arguments, one per line, then a "--" line, to the file named by EVK_STUB_LOG;
   given -XX:ArchiveClassesAtExit=FILE it writes FILE, as a training run's JVM does at exit. Its exit
   code is EVK_STUB_EXIT (default 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    static const char archive_option[] = "-XX:ArchiveClassesAtExit=";
    const char *log = getenv("EVK_STUB_LOG");
    FILE *out = log ? fopen(log, "ab") : NULL;
    for (int i = 0; i < argc; i++) {
        if (out) fprintf(out, "%s\n", argv[i]);
        if (strncmp(argv[i], archive_option, sizeof archive_option - 1) == 0) {
            FILE *a = fopen(argv[i] + sizeof archive_option - 1, "wb");
            if (a) {
                fputs("a class-data archive", a);
                fclose(a);
            }
        }
    }
    if (out) {
        fputs("--\n", out);
        fclose(out);
    }
    const char *code = getenv("EVK_STUB_EXIT");
    return code ? atoi(code) : 0;
}
