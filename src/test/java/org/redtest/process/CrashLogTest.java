package org.redtest.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CrashLogTest {
    @TempDir
    Path dir;

    @Test
    void namesTheSignalAndTheProblematicFrame() throws Exception {
        Path log = dir.resolve("hs_err_pid1.log");
        Files.writeString(log, """
                #
                # A fatal error has been detected by the Java Runtime Environment:
                #
                #  SIGSEGV (0xb) at pc=0x00007f3c1a2b3c4d, pid=4242, tid=4243
                #
                # JRE version: OpenJDK Runtime Environment (17.0.13+11) (build 17.0.13+11-Debian-2)
                # Problematic frame:
                # C  [libnd4jcpu.so+0x1a2b3c]  sd::TadDescriptor::TadDescriptor(sd::TadDescriptor const&)+0x2c
                #
                """);
        assertEquals("SIGSEGV (0xb) at pc=0x00007f3c1a2b3c4d, pid=4242, tid=4243; problematic frame: "
                + "C [libnd4jcpu.so+0x1a2b3c] sd::TadDescriptor::TadDescriptor(sd::TadDescriptor const&)+0x2c", CrashLog.summary(log));
    }

    @Test
    void saysSoWhenTheLogHasNeither() throws Exception {
        Path log = dir.resolve("hs_err_pid2.log");
        Files.writeString(log, "cut short\n");
        assertEquals("no signal or frame in the crash log", CrashLog.summary(log));
    }
}
