package io.evkeygen.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a server certificate for 127.0.0.1 / localhost made in the test (Bouncy Castle), written
 * as PEM files: {@code ca.pem}, {@code server.pem}, {@code server.key} (PKCS#8).
 */
public final class TestCerts {
    public final Path caPem;
    public final Path serverPem;
    public final Path serverKey;

    private TestCerts(Path caPem, Path serverPem, Path serverKey) {
        this.caPem = caPem;
        this.serverPem = serverPem;
        this.serverKey = serverKey;
    }

    public static TestCerts create(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair ca = gen.generateKeyPair();
        KeyPair server = gen.generateKeyPair();
        Date from = new Date(System.currentTimeMillis() - 3_600_000L);
        Date to = new Date(System.currentTimeMillis() + 86_400_000L);
        X500Name caName = new X500Name("CN=evkeygen test CA");
        X509v3CertificateBuilder cab = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, ca.getPublic());
        cab.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        cab.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCert = sign(cab, ca);
        X509v3CertificateBuilder sb = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to,
                new X500Name("CN=localhost"), server.getPublic());
        sb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate serverCert = sign(sb, ca);
        Path caPem = dir.resolve("ca.pem");
        Path serverPem = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server.key");
        Files.writeString(caPem, pem("CERTIFICATE", caCert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(serverPem, pem("CERTIFICATE", serverCert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(serverKey, pem("PRIVATE KEY", server.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        return new TestCerts(caPem, serverPem, serverKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public io.grpc.ServerCredentials serverCredentials() throws IOException {
        return io.grpc.TlsServerCredentials.create(serverPem.toFile(), serverKey.toFile());
    }
}
