import Foundation
import Testing
import TestSupport

/// The admin listener's gate, against the real binary: token, Origin, health check, body limit, and
/// the token file itself.
@Suite(.serialized) struct AdminAuthTests {
    @Test func tokenOriginAndHealth() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let none = try await admin.request("GET", "/api/v1/certificates", auth: .none)
        #expect(none.status == 401)
        #expect(none.header("www-authenticate")?.hasPrefix("Bearer") == true)
        #expect(none.header("content-type") == "application/problem+json")
        let wrong = try await admin.request("GET", "/api/v1/certificates", auth: .bearer(String(repeating: "0", count: 64)))
        #expect(wrong.status == 401)
        #expect(try await admin.request("GET", "/metrics", auth: .none).status == 401)
        let foreign = try await admin.request("GET", "/api/v1/certificates", headers: ["Origin: https://evil.example"])
        #expect(foreign.status == 403)
        let own = try await admin.request("GET", "/api/v1/certificates", headers: ["Origin: http://127.0.0.1:\(proxy.adminPort)"])
        #expect(own.status == 200)
        let health = try await admin.request("GET", "/healthz", auth: .none)
        #expect(health.status == 200)
        #expect(health.bodyText == "ok\n")
        #expect(admin.bodiesWithPrivateKeys.isEmpty)
    }

    @Test func tokenFileIsPrivateAndKeptAcrossRestarts() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let path = proxy.stateDir + "/admin.token"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let token = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        #expect(!proxy.logs.contains(token))
    }

    @Test func bodyOver16MiBIs413() async throws {
        let proxy = try await AdminProxy.start(sites: [.respond(["localhost"], "ok\n")], defaultCertificate: "localhost")
        defer { proxy.kill() }
        let admin = try AdminClient(proxy)
        let path = NSTemporaryDirectory() + "admin-big-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(count: 16 * 1024 * 1024 + 1))
        let result = try await Curl.run(
            ["-X", "PUT", "http://127.0.0.1:\(proxy.adminPort)/api/v1/certificates/big", "-H", "Authorization: Bearer \(admin.token)",
             "-H", "Content-Type: application/json", "--data-binary", "@" + path], within: 20)
        #expect(result.status == 413)
        #expect(!FileManager.default.fileExists(atPath: proxy.stateDir + "/certs/big"))
        // The listener keeps serving.
        #expect(try await admin.request("GET", "/healthz", auth: .none).status == 200)
    }
}
