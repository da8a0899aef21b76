internal import COpenSSL

/// A failed TLS or OpenSSL operation: what we were doing, plus OpenSSL's error queue at that moment.
public struct TLSError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What failed, as a sentence fragment starting with a gerund ("loading the private key").
    public let message: String
    /// OpenSSL's error queue, oldest first, as `ERR_error_string_n` renders it.
    public let openSSLErrors: [String]

    /// An error with an explicit message and (optionally) already collected OpenSSL errors.
    public init(_ message: String, openSSLErrors: [String] = []) {
        self.message = message
        self.openSSLErrors = openSSLErrors
    }

    /// The message, followed by the OpenSSL errors when there are any.
    public var description: String {
        guard !self.openSSLErrors.isEmpty else { return self.message }
        return self.message + " (" + self.openSSLErrors.joined(separator: "; ") + ")"
    }

    /// An error for `message` that drains (and so clears) the calling thread's OpenSSL error queue.
    package static func draining(_ message: String) -> TLSError {
        TLSError(message, openSSLErrors: Self.drainErrorQueue())
    }

    /// Empties the calling thread's OpenSSL error queue and returns its entries, oldest first.
    package static func drainErrorQueue() -> [String] {
        var entries: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            entries.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return entries
    }
}
