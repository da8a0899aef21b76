import Glibc
import PortcullisTLS

/// Why the certificate store could not read, generate or write a certificate.
public enum CertificateStoreError: Error, CustomStringConvertible, Sendable {
    /// A system call failed: what we were doing, on which path, and errno.
    case fileSystem(String, String, Int32)
    /// A certificate folder lacks a file.
    case incomplete(name: String, missingPath: String)
    /// No certificate (or no previous version) of that name.
    case notFound(name: String, path: String)
    /// `meta.json` is not valid metadata.
    case invalidMetadata(path: String, detail: String)
    /// A certificate name the store cannot hold (empty).
    case invalidName(String)
    /// A domain that cannot go into a certificate.
    case invalidDomain(String, reason: String)
    /// A certificate that OpenSSL cannot read.
    case invalidCertificate(TLSError)
    /// OpenSSL failed while generating a key or certificate.
    case generationFailed(domains: [String], TLSError)

    /// One sentence for the operator.
    public var description: String {
        switch self {
        case .fileSystem(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .incomplete(let name, let missingPath):
            return "certificate \"\(name)\" is incomplete: \(missingPath) is missing"
        case .notFound(let name, let path):
            return "there is no certificate \"\(name)\" in the store (\(path))"
        case .invalidMetadata(let path, let detail):
            return "\(path) is not valid certificate metadata: \(detail)"
        case .invalidName(let name):
            return "\"\(name)\" is not a valid certificate name"
        case .invalidDomain(let domain, let reason):
            return "cannot put \"\(domain)\" in a certificate: \(reason)"
        case .invalidCertificate(let error):
            return "the certificate cannot be read: \(error)"
        case .generationFailed(let domains, let error):
            return "generating a certificate for \(domains.joined(separator: ", ")): \(error)"
        }
    }
}
