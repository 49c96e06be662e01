package io.evkeygen.internal.codec;

import io.evkeygen.keyset.KeygenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The records of an EvalKey.bin container (spec section 5), located without loading their data. */
public final class EvalKeyContainer {

    /** One record: its name and where its data lies. */
    public record Record(String name, long dataOffset, long dataLength) {}

    private static final int MAX_NAME = 256;

    private EvalKeyContainer() {}

    /** True for the MM placeholder: key data of the single byte 0x00. */
    public static boolean isEmptyPlaceholder(BinData bin) throws IOException {
        return bin.length() == 1 && bin.readByte(0) == 0;
    }

    /** Lists the records, checking marks and lengths; refuses trailing bytes. */
    public static List<Record> records(BinData bin) throws IOException {
        List<Record> out = new ArrayList<>();
        long pos = 0;
        long end = bin.length();
        while (pos < end) {
            if (end - pos < 17 || bin.readByte(pos) != BinLayout.RECORD_MARK) {
                throw KeygenException.invalidKey("EvalKey.bin: bad record header at byte " + pos);
            }
            long nameLen = bin.readU64(pos + 1);
            if (nameLen <= 0 || nameLen > MAX_NAME || pos + 17 + nameLen > end) {
                throw KeygenException.invalidKey("EvalKey.bin: bad record name length at byte " + pos);
            }
            String name = new String(bin.readBytes(pos + 9, (int) nameLen), StandardCharsets.US_ASCII);
            long dataLen = bin.readU64(pos + 9 + nameLen);
            long dataOffset = pos + 17 + nameLen;
            if (dataLen < 0 || dataLen > end - dataOffset) {
                throw KeygenException.invalidKey("EvalKey.bin: record " + name + " runs past the end");
            }
            out.add(new Record(name, dataOffset, dataLen));
            pos = dataOffset + dataLen;
        }
        return out;
    }
}
