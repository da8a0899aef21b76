import Foundation

/// What `certs list` needs from the ACME client's persisted order (`<state_dir>/acme/orders/<name>.json`):
/// whether the last attempt failed, the CA's problem, and when the next attempt is due. Decoded here
/// directly because PortcullisCertificates cannot import PortcullisACME (it depends on this module).
public struct ACMEOrderStatus: Decodable, Sendable, Equatable {
    public var phase: String
    public var problem: String?
    public var nextAttempt: Date?

    /// The order for certificate `name`, or nil when there is none or it cannot be read.
    public static func load(stateDir: String, name: String) -> ACMEOrderStatus? {
        let path = stateDir + "/acme/orders/" + StoreLayout.safeFolderName(name) + ".json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ACMEOrderStatus.self, from: data)
    }

    /// True when the last ACME attempt failed.
    public var isFailed: Bool { self.phase == "failed" }

    /// One sentence for the status table, e.g. `shop: last ACME attempt failed: ...; next attempt 2026-...`.
    public func failureNote(name: String) -> String {
        let next = self.nextAttempt.map { CertificateClock.rfc3339($0) } ?? "not scheduled"
        return "\(name): last ACME attempt failed: \(self.problem ?? "unknown error"); next attempt \(next)"
    }
}
