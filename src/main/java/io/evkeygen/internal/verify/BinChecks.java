package io.evkeygen.internal.verify;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.layout.BinData;
import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.internal.math.KeySwitchSources;
import io.evkeygen.internal.math.RingContext;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Layout and key-equation checks of EncKey.bin and EvalKey.bin (spec sections 4 and 5). */
final class BinChecks {
    record Result(List<Integer> dims, int keysChecked, int maxError) {}

    private BinChecks() {}

    /**
     * @param secret   the decoded ternary secret, or null to check layouts only
     * @param evalMode the EvalKey envelope's eval_mode
     */
    static Result check(Parameters params, byte[] secret, BinData enc, BinData eval, EvalMode mode)
            throws IOException {
        RingContext ring = RingContext.of(params);
        KeyEquationChecker checker = secret == null ? null : new KeyEquationChecker(ring, secret);
        try {
            Tally tally = new Tally();
            checkEncKey(params, checker, enc, tally);
            List<Integer> dims = List.of();
            if (mode == EvalMode.MM) {
                if (!EvalKeyContainer.isEmptyPlaceholder(eval)) {
                    throw KeygenException.invalidKey("EvalKey.json: an MM EvalKey must be the single byte 0x00");
                }
            } else {
                dims = checkEvalKey(params, mode, checker, eval, tally);
            }
            return new Result(dims, tally.keys, tally.maxError);
        } finally {
            if (checker != null) {
                checker.close();
            }
        }
    }

    private static final class Tally {
        int keys;
        int maxError;

        void add(int error) {
            keys++;
            maxError = Math.max(maxError, error);
        }
    }

    private static void checkEncKey(Parameters params, KeyEquationChecker checker, BinData enc, Tally tally)
            throws IOException {
        if (enc.length() != BinLayout.encKeyLength(params)) {
            throw KeygenException.invalidKey("EncKey.json: key data is " + enc.length() + " bytes, expected "
                    + BinLayout.encKeyLength(params));
        }
        checkHeader("EncKey.json", enc, BinLayout.header(BinLayout.TAG_ENCKEY, params));
        int h = BinLayout.header(BinLayout.TAG_ENCKEY, params).length;
        long pb = BinLayout.polyBytes(params);
        int n = params.n();
        long[] aQ = enc.readPoly(h, n);
        long[] aP = enc.readPoly(h + pb, n);
        long[] bQ = enc.readPoly(h + 2 * pb, n);
        long[] bP = enc.readPoly(h + 3 * pb, n);
        if (checker != null) {
            tally.add(checker.check("EncKey.json public key", aQ, aP, bQ, bP, null));
        } else {
            rangeOnly("EncKey.json", params, aQ, aP, bQ, bP);
        }
    }

    private static void checkHeader(String file, BinData bin, byte[] expected) throws IOException {
        if (!Arrays.equals(bin.readBytes(0, expected.length), expected)) {
            throw KeygenException.invalidKey(file + ": binary header is not the expected one");
        }
    }

    private static List<Integer> checkEvalKey(Parameters params, EvalMode mode, KeyEquationChecker checker,
                                              BinData eval, Tally tally) throws IOException {
        List<EvalKeyContainer.Record> records = EvalKeyContainer.records(eval);
        if (records.isEmpty() || !records.get(records.size() - 1).name().equals(EvalKeyContainer.METADATA_EVAL_NAME)) {
            throw KeygenException.invalidKey("EvalKey.json: container does not end with metadata-eval.json");
        }
        EvalKeyContainer.Record metaRecord = records.get(records.size() - 1);
        byte[] meta = eval.readBytes(metaRecord.dataOffset(), (int) Math.min(metaRecord.dataLength(), 1 << 20));
        List<Integer> dims = parseDims(meta, mode, params);
        EvalKeyLayout layout = EvalKeyLayout.of(params, mode, dims);
        if (!Arrays.equals(meta, layout.metadataEval())) {
            throw KeygenException.invalidKey("EvalKey.json: metadata-eval.json is not in the reference layout");
        }
        List<EvalKeyLayout.Rank> ranks = layout.ranks();
        if (records.size() != ranks.size() + 1) {
            throw KeygenException.invalidKey("EvalKey.json: expected " + ranks.size() + " rank records, found "
                    + (records.size() - 1));
        }
        long[] relinSource = checker == null ? null : KeySwitchSources.relinearization(
                RingContext.of(params), checker.secretNttQ());
        for (int i = 0; i < ranks.size(); i++) {
            EvalKeyLayout.Rank expected = ranks.get(i);
            EvalKeyContainer.Record rec = records.get(i);
            if (!rec.name().equals(expected.name()) || rec.dataLength() != expected.dataLength()) {
                throw KeygenException.invalidKey("EvalKey.json: record " + (i + 1) + " should be " + expected.name()
                        + " of " + expected.dataLength() + " bytes");
            }
            checkEviKeys(params, checker, relinSource, eval, rec, expected.rank(), tally);
        }
        return dims;
    }

    private static List<Integer> parseDims(byte[] meta, EvalMode mode, Parameters params) {
        EvalKeyContainer.MetadataEval m;
        try {
            m = EvalKeyContainer.parseMetadataEval(meta);
        } catch (KeygenException e) {
            throw KeygenException.invalidKey("EvalKey.json: " + e.getMessage().replaceFirst("^EvalKey.bin: ", ""));
        }
        if (!mode.name().equals(m.evalMode()) || !params.preset().equals(m.preset())) {
            throw KeygenException.invalidKey("EvalKey.json: metadata-eval.json disagrees with the envelope "
                    + "(eval mode or preset)");
        }
        if (m.dims().isEmpty()) {
            throw KeygenException.invalidKey("EvalKey.json: metadata-eval.json lists no ranks");
        }
        return m.dims();
    }

    private static void checkEviKeys(Parameters params, KeyEquationChecker checker, long[] relinSource,
                                     BinData eval, EvalKeyContainer.Record rec, int rank, Tally tally)
            throws IOException {
        String file = "EvalKey.json " + rec.name();
        if (eval.readByte(rec.dataOffset()) != BinLayout.TAG_EVIKEYS) {
            throw KeygenException.invalidKey(file + ": missing tag byte 0x03");
        }
        int n = params.n();
        long pb = BinLayout.polyBytes(params);
        long base = rec.dataOffset() + 1;
        long[] aQ = eval.readPoly(base, n);
        long[] aP = eval.readPoly(base + pb, n);
        long[] bQ = eval.readPoly(base + 2 * pb, n);
        long[] bP = eval.readPoly(base + 3 * pb, n);
        RingContext ring = RingContext.of(params);
        if (checker != null) {
            tally.add(checker.check(file + " relinearization key", aQ, aP, bQ, bP, relinSource));
        } else {
            rangeOnly(file, params, aQ, aP, bQ, bP);
        }
        long modPack = base + 4 * pb;
        for (int k = 0; k < rank; k++) {
            aQ = eval.readPoly(modPack + (long) k * pb, n);
            aP = eval.readPoly(modPack + (long) (rank + k) * pb, n);
            bQ = eval.readPoly(modPack + (long) (2 * rank + k) * pb, n);
            bP = eval.readPoly(modPack + (long) (3 * rank + k) * pb, n);
            if (checker != null) {
                long[] source = KeySwitchSources.modPack(ring, checker.secret(), rank, k);
                tally.add(checker.check(file + " mod-pack key " + k, aQ, aP, bQ, bP, source));
            } else {
                rangeOnly(file, params, aQ, aP, bQ, bP);
            }
        }
    }

    private static void rangeOnly(String file, Parameters params, long[] aQ, long[] aP, long[] bQ, long[] bP) {
        for (long[][] pair : new long[][][] {{aQ, bQ}, {aP, bP}}) {
            long m = pair[0] == aQ ? params.q() : params.p();
            for (long[] poly : pair) {
                for (long v : poly) {
                    if (v < 0 || v >= m) {
                        throw KeygenException.invalidKey(file + ": coefficient not reduced modulo " + m);
                    }
                }
            }
        }
    }
}
