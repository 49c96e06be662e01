package io.evkeygen.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls of the key store, for one bucket: PutObject (multipart above the part size, so no
 * request body is larger than one part), HeadObject, GetObject, DeleteObject, ListObjectsV2, and
 * AbortMultipartUpload when a multipart upload fails. Errors are {@link SdkException}s; callers
 * turn them into messages naming the part.
 */
final class S3Objects {
    private static final String CONTENT_TYPE = "application/json";

    private final S3Client s3;
    private final String bucket;
    private final long partSize;

    S3Objects(S3Client s3, String bucket, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    String bucket() {
        return bucket;
    }

    /** Uploads a staged blob, streaming it from memory or its spill file with a known length. */
    void put(String key, StagedBlob blob) {
        long length = blob.length();
        if (length <= partSize) {
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength(length),
                    body(blob, 0, length));
        } else {
            putMultipart(key, blob);
        }
    }

    private void putMultipart(String key, StagedBlob blob) {
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long length = blob.length();
            int number = 1;
            for (long off = 0; off < length; off += partSize, number++) {
                long len = Math.min(partSize, length - off);
                int n = number;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n)
                        .contentLength(len), body(blob, off, len)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private static RequestBody body(StagedBlob blob, long offset, long length) {
        return RequestBody.fromContentProvider(() -> {
            try {
                return blob.open(offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, length, CONTENT_TYPE);
    }

    /**
     * HeadBucket: fails with a STORE error naming {@code NoSuchBucket} or {@code AccessDenied} (a HEAD
     * response has no body, so the code is derived from the status).
     */
    void requireBucket() {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            int status = AwsErrors.status(e);
            String what = "checking bucket s3://" + bucket;
            if (status == 404) {
                throw new io.evkeygen.error.KeygenException(io.evkeygen.error.KeygenException.Kind.STORE,
                        what + ": NoSuchBucket: the bucket does not exist (HTTP 404)", e);
            }
            if (status == 403) {
                throw new io.evkeygen.error.KeygenException(io.evkeygen.error.KeygenException.Kind.STORE,
                        what + ": AccessDenied: s3:ListBucket refused or bad credentials (HTTP 403)", e);
            }
            throw AwsErrors.store(what, e);
        }
    }

    /** Whether the object exists (HeadObject; 404 means no). */
    boolean exists(String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            if (AwsErrors.status(e) == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The object's bytes as a stream (the caller closes it). */
    InputStream open(String key) {
        return s3.getObject(r -> r.bucket(bucket).key(key));
    }

    /** Deletes the object; S3 treats a missing key as success. */
    void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    /** Every object key under {@code prefix}. */
    List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            keys.add(o.key());
        }
        return keys;
    }
}
