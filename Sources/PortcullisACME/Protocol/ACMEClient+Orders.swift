import Foundation

/// Orders, challenges, finalisation, download and revocation (RFC 8555 §7.4–§7.6).
extension ACMEClient {
    /// `newOrder` for `domains`; returns the order URL and object.
    public func newOrder(domains: [String]) throws -> (url: String, order: ACMEOrder) {
        let identifiers = domains.map { ["type": "dns", "value": $0] }
        let reply = try self.post(try self.directory().newOrder, payload: ["identifiers": identifiers], during: "creating the order")
        guard let url = reply.header("Location") else { throw Self.failure(reply, during: "creating the order (no Location)") }
        return (url, try Self.decode(reply, during: "reading the new order"))
    }

    /// Tells the CA the challenge is ready to be validated (`{}`, §7.5.1).
    public func triggerChallenge(_ url: String) throws {
        _ = try self.post(url, payload: [:], during: "responding to the challenge")
    }

    /// Sends the CSR (§7.4); returns the order as the CA now sees it.
    public func finalize(_ url: String, csrDER: [UInt8]) throws -> (ACMEOrder, HTTPReply) {
        let reply = try self.post(url, payload: ["csr": Base64URL.encode(csrDER)], during: "finalizing the order")
        return (try Self.decode(reply, during: "reading the finalized order"), reply)
    }

    /// Downloads the PEM chain (leaf first) (§7.4.2).
    public func downloadCertificate(_ url: String) throws -> String {
        let reply = try self.post(url, payload: nil, during: "downloading the certificate")
        let pem = reply.text
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw ACMEError.protocolViolation("the certificate download is not a PEM chain")
        }
        return pem
    }

    /// Revokes a certificate (§7.6) signed by the account key; `reason` is an RFC 5280 CRLReason code.
    public func revoke(certificateDER: [UInt8], reason: Int?) throws {
        guard let url = try self.directory().revokeCert else { throw ACMEError.local("the CA offers no revokeCert") }
        var payload: [String: Any] = ["certificate": Base64URL.encode(certificateDER)]
        if let reason { payload["reason"] = reason }
        _ = try self.post(url, payload: payload, during: "revoking the certificate")
    }
}
