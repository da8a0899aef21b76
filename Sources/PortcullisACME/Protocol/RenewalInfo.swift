import Foundation
import PortcullisTLS

/// ACME Renewal Information (RFC 9773): the certificate identifier and the CA's suggested window.
public enum RenewalInfo {
    /// The suggested renewal window (§4.2).
    public struct Window: Sendable, Equatable {
        public var start: Date
        public var end: Date
    }

    /// `base64url(keyIdentifier) "." base64url(serial)` (§4.1); `serial` is the DER INTEGER's content
    /// octets, so a leading 0x00 stays when the magnitude's top bit is set.
    public static func certificateID(authorityKeyID: [UInt8], serialMagnitude: [UInt8]) -> String {
        var serial = Array(serialMagnitude.drop { $0 == 0 })
        if serial.isEmpty || serial[0] & 0x80 != 0 { serial.insert(0, at: 0) }
        return Base64URL.encode(authorityKeyID) + "." + Base64URL.encode(serial)
    }

    /// The identifier of the leaf of `chainPEM`, or nil when it has no authority key identifier.
    public static func certificateID(chainPEM: String) -> String? {
        guard let leaf = try? X509Certificate.chain(fromPEM: chainPEM).first,
            let aki = leaf.authorityKeyIdentifier, let serial = leaf.serialNumberBytes
        else { return nil }
        return self.certificateID(authorityKeyID: aki, serialMagnitude: serial)
    }

    /// Parses a renewalInfo response body (`{"suggestedWindow": {"start": …, "end": …}}`).
    public static func window(from body: [UInt8]) -> Window? {
        struct Response: Decodable {
            struct Suggested: Decodable { var start: String; var end: String }
            var suggestedWindow: Suggested
        }
        guard let response = try? JSONDecoder().decode(Response.self, from: Data(body)),
            let start = OrderStateMachine.date(response.suggestedWindow.start),
            let end = OrderStateMachine.date(response.suggestedWindow.end)
        else { return nil }
        return Window(start: start, end: end)
    }
}

extension ACMEClient {
    /// The CA's suggested window for the certificate `certificateID` and how long to cache it
    /// (`Retry-After`, default 6 hours); nil when the directory has no `renewalInfo`.
    public func renewalWindow(certificateID: String, now: Date) throws -> (window: RenewalInfo.Window, validUntil: Date)? {
        guard let base = try self.directory().renewalInfo else { return nil }
        let url = (base.hasSuffix("/") ? base : base + "/") + certificateID
        let reply = try self.get(url, during: "fetching renewal information")
        guard reply.status == 200, let window = RenewalInfo.window(from: reply.body) else { return nil }
        let ttl = min(max(Self.retryAfter(reply, now: now) ?? 6 * 3600, 60), 24 * 3600)
        return (window, now.addingTimeInterval(ttl))
    }
}
