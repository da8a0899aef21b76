import PortcullisTLS

/// A failed key, signature or CSR operation, with OpenSSL's error queue.
public struct ACMECryptoError: Error, CustomStringConvertible, Sendable {
    /// What was being done ("signing the JWS").
    public let action: String
    /// Drained OpenSSL errors, oldest first.
    public let openSSLErrors: [String]

    /// Captures and clears OpenSSL's error queue.
    static func draining(_ action: String) -> ACMECryptoError {
        ACMECryptoError(action: action, openSSLErrors: TLSError.drainErrorQueue())
    }

    public var description: String {
        self.openSSLErrors.isEmpty ? self.action + " failed" : self.action + ": " + self.openSSLErrors.joined(separator: "; ")
    }
}
