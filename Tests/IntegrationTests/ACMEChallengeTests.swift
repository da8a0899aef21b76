import Foundation
import Testing
import TestSupport

/// HTTP-01 on the plain listener, from `<state_dir>/acme-challenges/<token>` (certbot's webroot layout):
/// a file dropped while the proxy runs is served as 200 text/plain with its exact content.
@Suite struct ACMEChallengeTests {
    @Test func tokenFileIsServedAndUnknownTokenIs404() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["site.test"], "hi\n")]))
        defer { proxy.kill() }
        let challenges = proxy.stateDir + "/acme-challenges"
        try FileManager.default.createDirectory(atPath: challenges, withIntermediateDirectories: true)
        let token = "Vq3BXqJqvFz2y5Z-d_0x1Lm"
        let keyAuthorization = token + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"
        try keyAuthorization.write(toFile: challenges + "/" + token, atomically: true, encoding: .utf8)

        let hit = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/.well-known/acme-challenge/\(token)")
        #expect(hit.status == 200)
        #expect(hit.header("content-type")?.hasPrefix("text/plain") == true)
        #expect(hit.bodyText == keyAuthorization)

        let miss = try await Curl.http(host: "site.test", port: proxy.httpPort, path: "/.well-known/acme-challenge/no-such-token")
        #expect(miss.status == 404)
    }

    @Test func tokenCannotEscapeTheChallengeFolder() async throws {
        let proxy = try await ProxyUnderTest.start(ProxyConfigSpec(sites: [.respond(["site.test"], "hi\n")]))
        defer { proxy.kill() }
        try FileManager.default.createDirectory(atPath: proxy.stateDir + "/acme-challenges", withIntermediateDirectories: true)
        for path in ["/.well-known/acme-challenge/../../proxy.conf", "/.well-known/acme-challenge/..%2F..%2Fproxy.conf"] {
            let response = try await Curl.http(host: "site.test", port: proxy.httpPort, path: path, ["--path-as-is"])
            #expect(response.status != 200, "\(path)")
            #expect(!response.bodyText.contains("[server]"), "\(path) leaked the config file")
        }
    }
}
