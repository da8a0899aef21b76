import Foundation

/// Why an import was refused. Each case is one sentence for the operator; the store is unchanged.
public enum CertificateImportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A file could not be opened.
    case unreadableFile(path: String, reason: String)
    /// The file holds no PEM or DER certificate.
    case notACertificate(path: String)
    /// The file holds no PEM or DER private key (or an encrypted one).
    case notAKey(path: String)
    /// The file is not PKCS#12.
    case notAPFX(path: String)
    /// PKCS#12 MAC verification failed.
    case wrongPassword(path: String)
    /// The PFX could be opened but not decrypted (an algorithm OpenSSL does not offer).
    case undecryptablePFX(path: String, detail: String)
    /// The PFX lacks a certificate or a key.
    case incompletePFX(path: String, missing: String)
    /// No certificate matches the private key.
    case keyMismatch
    /// The key is not one Portcullis serves.
    case unsupportedKeyType(String)
    /// Past notAfter (without `--force`).
    case expired(notAfter: Date)
    /// Before notBefore (without `--force`).
    case notYetValid(notBefore: Date)
    /// basicConstraints CA:TRUE on the leaf.
    case leafIsCA(subject: String)
    /// A name the store refuses.
    case invalidName(String)

    /// One sentence.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notACertificate(let path):
            return "\(path) does not contain a PEM or DER certificate"
        case .notAKey(let path):
            return "\(path) does not contain a PEM or DER private key (encrypted keys must be decrypted first)"
        case .notAPFX(let path):
            return "\(path) is not a readable PKCS#12 (PFX) file"
        case .wrongPassword(let path):
            return "the password for \(path) is wrong (PKCS#12 MAC verification failed)"
        case .undecryptablePFX(let path, let detail):
            return "\(path) cannot be decrypted: \(detail)"
        case .incompletePFX(let path, let missing):
            return "\(path) does not contain \(missing)"
        case .keyMismatch:
            return "the private key does not match the certificate"
        case .unsupportedKeyType(let type):
            return "the key type \(type) is not supported; use ECDSA P-256 or P-384, or RSA 2048, 3072 or 4096"
        case .expired(let notAfter):
            return "the certificate expired on \(CertificateClock.rfc3339(notAfter)); pass --force to import it anyway"
        case .notYetValid(let notBefore):
            return "the certificate is not valid before \(CertificateClock.rfc3339(notBefore)); "
                + "pass --force to import it anyway"
        case .leafIsCA(let subject):
            return "the certificate \(subject) is a CA certificate (basicConstraints CA:TRUE), not a server certificate"
        case .invalidName(let name):
            return "\"\(name)\" is not a valid certificate name: use letters, digits, '.', '_' and '-', not starting with '.'"
        }
    }
}

/// Date formatting shared by the status table, JSON, metadata and messages.
public enum CertificateClock {
    /// RFC 3339 UTC with seconds (`2026-11-22T10:00:00Z`).
    public static func rfc3339(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Whole days from `now` to `date`, rounded down (negative once past).
    public static func daysLeft(until date: Date, now: Date) -> Int {
        Int((date.timeIntervalSince(now) / 86_400).rounded(.down))
    }
}
