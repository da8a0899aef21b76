internal import COpenSSL
import PortcullisCore

/// TLS-ALPN-01 challenges being answered, by name (RFC 8737). The ACME thread presents and withdraws
/// them; the ClientHello callback consults them only for a ClientHello offering `acme-tls/1`, so
/// ordinary handshakes read nothing shared and take no lock.
public final class ALPNChallenges: Sendable {
    /// The process's challenges (the TLS listeners of every worker answer from it).
    public static let shared = ALPNChallenges()
    /// Pending challenges at most; each holds a key and a context.
    public static let maxPending = 1024
    static let protocolName: [UInt8] = Array("acme-tls/1".utf8)

    private let table = SharedValue(Table([:]))

    init() {}

    /// Answers TLS-ALPN-01 for `domain` (lower case) with `keyAuthorization` until withdrawn.
    public func present(domain: String, keyAuthorization: String) throws(TLSError) {
        let context = try ALPNChallengeContext(domain: domain, keyAuthorization: keyAuthorization)
        var contexts = self.table.current().contexts
        guard contexts.count < Self.maxPending || contexts[domain] != nil else {
            throw TLSError("too many pending TLS-ALPN-01 challenges")
        }
        contexts[domain] = context
        self.table.swap(Table(contexts))
    }

    /// Stops answering for `domain`.
    public func withdraw(domain: String) {
        var contexts = self.table.current().contexts
        guard contexts.removeValue(forKey: domain) != nil else { return }
        self.table.swap(Table(contexts))
    }

    /// Whether a challenge is pending for `domain`.
    public func isPending(domain: String) -> Bool { self.table.current().contexts[domain] != nil }

    /// In the ClientHello callback: when the client offers `acme-tls/1` for a name with a pending
    /// challenge, switches `ssl` to the challenge context and returns true.
    package func take(_ ssl: OpaquePointer, serverName: UnsafeRawBufferPointer) -> Bool {
        guard !serverName.isEmpty, Self.offersACMEProtocol(ssl) else { return false }
        let contexts = self.table.current().contexts
        guard !contexts.isEmpty, let context = contexts[String(decoding: serverName, as: UTF8.self)] else {
            return false
        }
        return SSL_set_SSL_CTX(ssl, context.ctx) != nil
    }

    /// Whether the handshake on `ssl` negotiated `acme-tls/1` (the connection then closes at once).
    package static func negotiated(_ ssl: OpaquePointer) -> Bool {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, Int(length) == Self.protocolName.count else { return false }
        return UnsafeRawBufferPointer(start: data, count: Int(length)).elementsEqual(Self.protocolName)
    }

    private static func offersACMEProtocol(_ ssl: OpaquePointer) -> Bool {
        var data: UnsafePointer<UInt8>? = nil
        var length = 0
        guard
            SSL_client_hello_get0_ext(ssl, UInt32(TLSEXT_TYPE_application_layer_protocol_negotiation), &data, &length)
                == 1,
            let data, length >= 2
        else { return false }
        let list = UnsafeRawBufferPointer(start: data, count: length)
        let declared = Int(list[0]) << 8 | Int(list[1])
        guard declared + 2 == length else { return false }
        return Self.findACMEProtocol(UnsafeRawBufferPointer(rebasing: list[2...])) != nil
    }

    /// The offset of `acme-tls/1` in a wire-format protocol list (length-prefixed names), if present.
    static func findACMEProtocol(_ list: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index < list.count {
            let length = Int(list[index])
            let end = index + 1 + length
            guard length > 0, end <= list.count else { return nil }
            if UnsafeRawBufferPointer(rebasing: list[(index + 1)..<end]).elementsEqual(Self.protocolName) {
                return index + 1
            }
            index = end
        }
        return nil
    }

    /// An immutable set of challenge contexts.
    private final class Table: Sendable {
        let contexts: [String: ALPNChallengeContext]
        init(_ contexts: [String: ALPNChallengeContext]) { self.contexts = contexts }
    }
}
