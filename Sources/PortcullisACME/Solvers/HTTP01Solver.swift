import Foundation
import PortcullisCertificates

/// HTTP-01 (RFC 8555 §8.3): the key authorization goes into the in-memory challenge publisher (the running proxy's plain listeners), which
/// every plain HTTP listener answers from, and into `<state_dir>/acme-challenges/<token>`, which
/// other instances sharing the folder (or a running proxy, for `certs renew`) answer from.
final class HTTP01Solver: ChallengeSolver {
    let type = "http-01"
    private let store: (any ChallengePublisher)?
    private let directory: String
    private var published: [String] = []

    /// A solver writing to `store` (nil from the CLI) and the folder `directory`.
    init(store: (any ChallengePublisher)?, directory: String) {
        self.store = store
        self.directory = directory
    }

    func present(identifier: String, token: String, keyAuthorization: String) throws {
        guard !token.isEmpty, Base64URL.decode(token) != nil else { throw ACMEError.protocolViolation("bad HTTP-01 token") }
        self.store?.publish(token: token, keyAuthorization: keyAuthorization)
        self.published.append(token)
        do {
            try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
            try AtomicFile.write(Array(keyAuthorization.utf8), to: self.directory + "/" + token, mode: 0o644)
        } catch where self.store != nil {
            // The in-memory store still answers on this instance; the folder is a convenience.
        }
    }

    func cleanUp() {
        for token in self.published {
            self.store?.withdraw(token: token)
            try? FileManager.default.removeItem(atPath: self.directory + "/" + token)
        }
        self.published = []
    }
}
