import Foundation
import TestSupport

/// Talks to a running proxy's admin API with curl, the way an automation script would, and keeps every
/// response body so a test can check that none of them ever held a private key.
final class AdminClient: @unchecked Sendable {  // `bodies` is only appended from the test's own task
    let port: UInt16
    let token: String
    private(set) var bodies: [String] = []

    init(port: UInt16, token: String) {
        self.port = port
        self.token = token
    }

    /// The client for `proxy`, token read from its state directory.
    convenience init(_ proxy: ProxyUnderTest) throws {
        let token = try String(contentsOfFile: proxy.stateDir + "/admin.token", encoding: .utf8)
        self.init(port: proxy.adminPort, token: token.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// What a request presents.
    enum Auth {
        /// The admin token.
        case token
        /// No Authorization header.
        case none
        /// `Authorization: Bearer <value>`.
        case bearer(String)
    }

    /// One request; `json` is sent as the body.
    @discardableResult
    func request(
        _ method: String, _ path: String, json: Any? = nil, auth: Auth = .token, headers: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> CurlResult {
        var arguments = ["-X", method, "http://127.0.0.1:\(self.port)\(path)"]
        switch auth {
        case .token: arguments += ["-H", "Authorization: Bearer \(self.token)"]
        case .bearer(let value): arguments += ["-H", "Authorization: Bearer \(value)"]
        case .none: break
        }
        for header in headers { arguments += ["-H", header] }
        var bodyPath: String?
        if let json {
            let path = NSTemporaryDirectory() + "admin-body-" + UUID().uuidString
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + path]
            bodyPath = path
        }
        defer { bodyPath.map { try? FileManager.default.removeItem(atPath: $0) } }
        let result = try await Curl.run(arguments, within: 20, file: file, line: line)
        self.bodies.append(result.bodyText)
        return result
    }

    /// `request` with the token, decoding a JSON object answer.
    func object(_ method: String, _ path: String, json: Any? = nil, file: StaticString = #filePath, line: UInt = #line)
        async throws -> (status: Int, body: [String: Any])
    {
        let result = try await self.request(method, path, json: json, file: file, line: line)
        let body = (try? JSONSerialization.jsonObject(with: Data(result.body))) as? [String: Any] ?? [:]
        return (result.status, body)
    }

    /// `GET /api/v1/certificates` as an array of objects.
    func certificates(file: StaticString = #filePath, line: UInt = #line) async throws -> [[String: Any]] {
        let result = try await self.request("GET", "/api/v1/certificates", file: file, line: line)
        guard result.status == 200, let rows = try JSONSerialization.jsonObject(with: Data(result.body)) as? [[String: Any]] else {
            throw HarnessError("GET /api/v1/certificates: \(result.status) \(result.bodyText)", file: file, line: line)
        }
        return rows
    }

    /// Bodies (of every response so far) that contain a private key marker.
    var bodiesWithPrivateKeys: [String] { self.bodies.filter { $0.contains("PRIVATE KEY") } }
}

/// Starting a proxy with the admin API, and looking at its state directory.
enum AdminProxy {
    /// `[admin]` on a free loopback port.
    static let section = ["[admin]", "bind = \"127.0.0.1:0\""]

    /// A proxy with one TLS listener (default certificate `defaultCertificate`), `sites` and `[admin]`.
    static func start(sites: [SiteSpec], defaultCertificate: String, extraAdmin: [String] = [], workers: String = "2")
        async throws -> ProxyUnderTest
    {
        var spec = ProxyConfigSpec(
            server: ["workers": workers], listeners: [.https(defaultCertificate: defaultCertificate)], sites: sites)
        spec.trailer = Self.section + extraAdmin
        return try await ProxyUnderTest.start(spec)
    }

    /// SHA-256 over every path, mode and content under `dir` (sorted), for "byte-for-byte unchanged".
    static func checksum(_ dir: String, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let script = "cd \"$1\" && find . -print0 | sort -z | xargs -0 stat -c '%n %a %s' && find . -type f -print0 | sort -z | xargs -0 sha256sum"
        let result = try await ChildProcess.run("/bin/sh", ["-c", script, "sh", dir], within: 20, file: file, line: line)
        guard result.exitCode == 0 else { throw HarnessError("checksum of \(dir) failed: \(result.stderr)", file: file, line: line) }
        let digest = try await ChildProcess.run("sha256sum", [], stdin: result.stdout, within: 20, file: file, line: line)
        return String(decoding: digest.stdout, as: UTF8.self)
    }
}
