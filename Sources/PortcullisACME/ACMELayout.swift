import Foundation
import PortcullisCertificates

/// Paths of the ACME client's own state under `<state_dir>/acme/` (certificates themselves live in
/// the certificate store): one account per directory URL, one order state file per certificate.
public struct ACMELayout: Sendable {
    /// `<state_dir>/acme`.
    public let root: String
    /// `<state_dir>/acme-challenges` (certbot webroot layout, shared with other instances).
    public let challengesDirectory: String

    /// The layout under `stateDir`.
    public init(stateDir: String) {
        let store = StoreLayout(stateDir: stateDir)
        self.root = store.stateDir + "/acme"
        self.challengesDirectory = store.challengesDirectory
    }

    /// `acme/accounts/<host_path>`: the account for one directory URL.
    public func accountDirectory(directoryURL: String) -> String {
        let bare = directoryURL.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        return self.root + "/accounts/" + StoreLayout.safeFolderName(bare.replacingOccurrences(of: "/", with: "_"))
    }

    /// `acme/accounts/<…>/account.key` (0600).
    public func accountKeyPath(directoryURL: String) -> String { self.accountDirectory(directoryURL: directoryURL) + "/account.key" }

    /// `acme/orders/<name>.json` (0600: it may hold the key of a CSR in flight).
    public func orderStatePath(name: String) -> String { self.root + "/orders/" + StoreLayout.safeFolderName(name) + ".json" }

    /// Creates `path`'s folder (and parents) with mode 0700.
    static func makeParent(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// Loading and saving `OrderState` files.
public enum OrderStateFile {
    /// The saved state of `name`, or nil (missing or unreadable files start over).
    public static func load(_ layout: ACMELayout, name: String) -> OrderState? {
        guard let data = FileManager.default.contents(atPath: layout.orderStatePath(name: name)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(OrderState.self, from: data)
    }

    /// Writes `state` atomically, mode 0600.
    public static func save(_ state: OrderState, _ layout: ACMELayout) throws {
        let path = layout.orderStatePath(name: state.name)
        try ACMELayout.makeParent(of: path)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(state)) + [0x0A], to: path, mode: 0o600)
    }
}
