import Foundation
import Logging

/// One ACME account's conversation with one CA (RFC 8555): directory, nonce pool, signed requests
/// with `badNonce` retries, and the account itself. Used only on the ACME thread.
public final class ACMEClient {
    /// The directory URL from the config.
    public let directoryURL: String
    /// The account key.
    public let key: AccountKey
    private let http: ACMEHTTPClient
    private let logger: Logger
    private var nonces: [String] = []
    private var cachedDirectory: ACMEDirectory?
    /// The account URL (the JWS `kid`) once the account is known.
    public private(set) var accountURL: String?
    /// How many POSTs were retried after `badNonce` (for logs and tests).
    public private(set) var badNonceRetries = 0

    /// How many `badNonce` answers in a row one request tolerates.
    static let maxNonceRetries = 25

    /// A client for `directoryURL` trusting the system roots plus `caFile`.
    public init(directoryURL: String, caFile: String, key: AccountKey, logger: Logger) throws {
        self.directoryURL = directoryURL
        self.key = key
        self.logger = logger
        self.http = try ACMEHTTPClient(caFile: caFile)
    }

    /// The directory (fetched once).
    public func directory() throws -> ACMEDirectory {
        if let cachedDirectory { return cachedDirectory }
        let reply = try self.send(.get, self.directoryURL, during: "fetching the directory")
        guard reply.status == 200 else { throw Self.failure(reply, during: "fetching the directory \(self.directoryURL)") }
        let directory: ACMEDirectory = try Self.decode(reply, during: "reading the directory")
        self.cachedDirectory = directory
        return directory
    }

    /// Creates the account for this key, or finds the existing one (§7.3, §7.3.1), with EAB when given.
    @discardableResult
    public func ensureAccount(email: String, agreeTOS: Bool, eabKID: String, eabHMACKey: String) throws -> String {
        let directory = try self.directory()
        var payload: [String: Any] = ["termsOfServiceAgreed": agreeTOS]
        if !email.isEmpty { payload["contact"] = ["mailto:" + email] }
        if !eabKID.isEmpty {
            guard let hmac = Base64URL.decode(eabHMACKey) else { throw ACMEError.local("eab_hmac_key is not base64url") }
            payload["externalAccountBinding"] = try JWS.externalAccountBinding(
                accountKey: self.key, kid: eabKID, hmacKey: hmac, url: directory.newAccount)
        }
        let reply = try self.post(directory.newAccount, payload: payload, useJWK: true, during: "registering the account")
        guard reply.status == 200 || reply.status == 201, let location = reply.header("Location") else {
            throw Self.failure(reply, during: "registering the account")
        }
        self.accountURL = location
        return location
    }

    /// A signed POST (§6.2): `payload` nil is POST-as-GET. Retries on `badNonce` with the fresh nonce
    /// the error carried; any other error status is thrown as a problem.
    public func post(_ url: String, payload: [String: Any]?, useJWK: Bool = false, during: String) throws -> HTTPReply {
        for _ in 0...Self.maxNonceRetries {
            let nonce = try self.takeNonce()
            let body: Data
            do {
                body = try JWS.sign(payload: payload, url: url, nonce: nonce, key: self.key, kid: useJWK ? nil : self.accountURL)
            } catch {
                throw ACMEError.local("\(during): signing the request: \(error)")
            }
            let reply = try self.send(.post, url, headers: [("Content-Type", "application/jose+json")], body: Array(body), during: during)
            if reply.status < 400 { return reply }
            let problem = Self.problem(reply)
            guard problem.acmeError == "badNonce" else { throw ACMEError.problem(problem, during: during) }
            self.badNonceRetries += 1
            self.logger.debug("acme bad nonce; retrying", metadata: ["url": "\(url)"])
        }
        throw ACMEError.protocolViolation("\(during): \(Self.maxNonceRetries) badNonce answers in a row")
    }

    /// POST-as-GET decoded as `T`, with the reply (for `Retry-After`).
    public func fetch<T: Decodable>(_ url: String, as type: T.Type, during: String) throws -> (T, HTTPReply) {
        let reply = try self.post(url, payload: nil, during: during)
        return (try Self.decode(reply, during: during), reply)
    }

    /// A plain GET (directory, renewalInfo), which needs no signature.
    func get(_ url: String, during: String) throws -> HTTPReply {
        try self.send(.get, url, during: during)
    }

    /// A fresh nonce: from the pool (filled by every reply), else HEAD newNonce (§7.2).
    private func takeNonce() throws -> String {
        if let nonce = self.nonces.popLast() { return nonce }
        let url = try self.directory().newNonce
        let reply = try self.send(.head, url, during: "getting a nonce")
        guard let nonce = self.nonces.popLast() else {
            throw ACMEError.protocolViolation("HEAD \(url) answered \(reply.status) without Replay-Nonce")
        }
        return nonce
    }

    /// One HTTP exchange; stashes `Replay-Nonce` and maps transport failures.
    private func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8] = [], during: String
    ) throws -> HTTPReply {
        do {
            let reply = try self.http.send(method, url, headers: headers, body: body)
            if let nonce = reply.header("Replay-Nonce"), !nonce.isEmpty { self.nonces.append(nonce) }
            return reply
        } catch let error as TransportError {
            throw ACMEError.transport("\(during): \(error)")
        } catch {
            throw ACMEError.local("\(during): \(error)")
        }
    }

    /// The problem document of an error reply (or a stand-in naming the status).
    static func problem(_ reply: HTTPReply) -> ACMEProblem {
        (try? JSONDecoder().decode(ACMEProblem.self, from: Data(reply.body)))
            ?? ACMEProblem(type: nil, detail: "HTTP \(reply.status): \(reply.text.prefix(200))", status: reply.status)
    }

    /// An error for an unexpected reply.
    static func failure(_ reply: HTTPReply, during: String) -> ACMEError {
        reply.status >= 400 ? .problem(Self.problem(reply), during: during) : .protocolViolation("\(during): HTTP \(reply.status)")
    }

    /// Decodes a JSON body.
    static func decode<T: Decodable>(_ reply: HTTPReply, during: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(reply.body))
        } catch {
            throw ACMEError.protocolViolation("\(during): \(error)")
        }
    }

    /// `Retry-After` in seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    public static func retryAfter(_ reply: HTTPReply, now: Date) -> Double? {
        guard let value = reply.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSince(now)) }
    }
}
