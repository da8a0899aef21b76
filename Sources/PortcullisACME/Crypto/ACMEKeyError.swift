import PortcullisTLS

/// A failed key, signature or CSR operation, with OpenSSL's error queue.
public struct ACMECryptoError: Error, CustomStringConvertible, Sendable {
    /// What was being done ("signing the JWS").
    public let action: String
    /// Drained OpenSSL errors, oldest first.
    public let openSSLErrors: [String]

    /// An error from explicit parts.
    public init(action: String, openSSLErrors: [String]) {
        self.action = action
        self.openSSLErrors = openSSLErrors
    }

    /// The same failure as PortcullisTLS reported it.
    init(_ error: TLSError) {
        self.init(action: error.message, openSSLErrors: error.openSSLErrors)
    }

    public var description: String {
        self.openSSLErrors.isEmpty ? self.action + " failed" : self.action + ": " + self.openSSLErrors.joined(separator: "; ")
    }
}
