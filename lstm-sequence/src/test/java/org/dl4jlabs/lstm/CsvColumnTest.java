package org.dl4jlabs.lstm;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvColumnTest {

    @TempDir
    Path dir;

    @Test
    void aByteOrderMarkIsNoPartOfTheFirstColumnsName() throws Exception {
        Path csv = Files.write(dir.resolve("bom.csv"), ("\uFEFFtime,load\n1,2\n2,3\n").getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new double[]{1, 2}, CsvColumn.read(csv, "time"));
    }

    @Test
    void aControlChartFileSavedWithAByteOrderMarkReadsItsFirstNumber() throws Exception {
        Path file = Files.write(dir.resolve("charts.data"), "\uFEFF1.5 2 3\n4 5 6\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new double[]{1.5, 2, 3}, ControlChartFile.readSeries(file).get(0));
    }

    @Test
    void aHugeHeaderIsCutShortInTheMessage() throws Exception {
        Path csv = Files.writeString(dir.resolve("long.csv"), "x".repeat(1_000_000) + ",load" + ",c".repeat(50)
                + "\n1,2" + ",3".repeat(50) + "\n");
        String message = assertThrows(LabsException.class, () -> CsvColumn.read(csv, "time")).getMessage();
        assertTrue(message.length() < 1_000, "cut to a readable length: " + message.length() + " characters");
        assertTrue(message.contains("[" + "x".repeat(40) + "..., load, c,"), message);
        assertTrue(message.endsWith("and 32 more"), message);
    }

    @Test
    void aFileThatIsNotUtf8NamesTheFirstBadLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("time,load\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 5_000; i++) {
            bytes.writeBytes((i + "," + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        bytes.writeBytes("5000,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Path csv = Files.write(dir.resolve("latin1.csv"), bytes.toByteArray());

        String message = assertThrows(LabsException.class, () -> CsvColumn.read(csv, "load")).getMessage();
        assertTrue(message.equals(csv + " is not UTF-8 text (line 5002); save it as UTF-8 CSV"), message);
    }
}
