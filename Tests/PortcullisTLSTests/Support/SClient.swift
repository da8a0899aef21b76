import Foundation

/// One `openssl s_client` handshake against 127.0.0.1 and what it reported.
struct SClientResult {
    var raw: SubprocessResult
    /// The peer certificate's CN (`subject=CN = x`), nil if no certificate was received.
    var subjectCN: String? { self.value(after: "subject=CN = ") }
    /// "New" or "Reused" (session line), nil if the handshake failed.
    var session: String? {
        for line in self.raw.output.split(separator: "\n") where line.hasPrefix("New, ") || line.hasPrefix("Reused, ") {
            return String(line.prefix { $0 != "," })
        }
        return nil
    }
    /// Negotiated protocol from the session line ("TLSv1.3").
    var protocolVersion: String? {
        for line in self.raw.output.split(separator: "\n") where line.hasPrefix("New, ") || line.hasPrefix("Reused, ") {
            return line.split(separator: ",").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
    /// True when s_client received our application data, i.e. the handshake completed.
    var completed: Bool { self.raw.output.contains("hello from portcullis") }

    private func value(after prefix: String) -> String? {
        for line in self.raw.output.split(separator: "\n") where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count))
        }
        return nil
    }
}

/// Runs `openssl s_client` with a deadline.
enum SClient {
    /// Connects to `port` with `serverName` (nil: `-noservername`) plus `extra` flags.
    static func connect(port: UInt16, serverName: String?, _ extra: [String] = []) throws -> SClientResult {
        var arguments = ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-ign_eof"]
        if let serverName { arguments += ["-servername", serverName] } else { arguments.append("-noservername") }
        return SClientResult(raw: try Subprocess.run(arguments + extra, timeout: 10))
    }
}
