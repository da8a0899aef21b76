import Foundation
import Testing
import TestSupport

/// The challenge folder serves only small regular files: a symlink (say, to a key file) and a FIFO are
/// 404, and a FIFO never stalls the worker that looked it up.
@Suite struct ChallengeFileTypesTests {
    static func start() async throws -> (ProxyUnderTest, String) {
        let proxy = try await ProxyUnderTest.start(
            ProxyConfigSpec(server: ["workers": "1"], sites: [.respond(["site.test"], "hi\n")]))
        let folder = proxy.stateDir + "/acme-challenges"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (proxy, folder)
    }

    @Test func symlinkToAKeyFileIs404() async throws {
        let (proxy, folder) = try await Self.start()
        defer { proxy.kill() }
        let secret = proxy.directory + "/key.pem"
        try "-----BEGIN PRIVATE KEY-----\nsecret\n".write(toFile: secret, atomically: true, encoding: .utf8)
        #expect(symlink(secret, folder + "/linkedtoken") == 0)
        let response = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/.well-known/acme-challenge/linkedtoken")
        #expect(response.status == 404)
        #expect(!response.bodyText.contains("PRIVATE KEY"))
    }

    @Test func oversizedFileIs404() async throws {
        let (proxy, folder) = try await Self.start()
        defer { proxy.kill() }
        try String(repeating: "x", count: 20_000).write(toFile: folder + "/bigtoken", atomically: true, encoding: .utf8)
        let response = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/.well-known/acme-challenge/bigtoken")
        #expect(response.status == 404)
    }

    @Test func fifoIs404AndTheWorkerKeepsServing() async throws {
        let (proxy, folder) = try await Self.start()
        defer { proxy.kill() }
        #expect(mkfifo(folder + "/fifotoken", 0o644) == 0)
        let response = try await Curl.http(
            host: "site.test", port: proxy.httpPort, path: "/.well-known/acme-challenge/fifotoken", within: 5)
        #expect(response.status == 404)
        // The only worker still answers.
        let after = try await Curl.https(host: "site.test", port: proxy.httpsPort, within: 5)
        #expect(after.status == 200)
    }
}
