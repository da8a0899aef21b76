import Foundation
import PortcullisTLS

/// The ACME conversation's HTTP: PortcullisTLS's `HTTPClient` (libevent's client over OpenSSL, on the
/// ACME thread's own event base), with URLs parsed here. The CA's certificate is verified against
/// the system roots plus `caFile`, with host name (or IP) checking.
final class ACMEHTTPClient {
    private let client: HTTPClient

    /// A client trusting the system roots plus the PEM certificates in `caFile` ("" for none).
    init(caFile: String, timeout: Int32 = 30) throws {
        do {
            // ACME objects and chains are a few KiB.
            self.client = HTTPClient(tls: try TLSClientContext(trustFile: caFile), timeout: timeout, maxBodySize: 1 << 20)
        } catch {
            throw ACMECryptoError(action: "loading ca_file \(caFile)", openSSLErrors: error.openSSLErrors)
        }
    }

    /// Sends one request and waits for the whole response.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPReply {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host, !host.isEmpty else {
            throw TransportError(description: "bad URL \(url)")
        }
        let tls = scheme == "https"
        let authority = (host.contains(":") ? "[\(host)]" : host) + (parsed.port.map { ":\($0)" } ?? "")
        var target = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { target += "?" + query }
        let fields = [("Host", authority), ("User-Agent", "portcullis-acme"), ("Connection", "close")] + headers
        let request = HTTPClientRequest(
            method: method.rawValue, tls: tls, host: host, port: parsed.port ?? (tls ? 443 : 80), target: target,
            fields: fields, body: body)
        do {
            let response = try self.client.send(request)
            return HTTPReply(status: response.status, headers: response.headers, body: response.body)
        } catch {
            throw TransportError(description: "\(method.rawValue) \(url): \(error)")
        }
    }
}
